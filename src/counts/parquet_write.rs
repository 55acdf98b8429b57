//! Writing the interchange tables as snappy Parquet (`trailsight counts`),
//! with the `parquet` crate's column writers (no Arrow): REQUIRED columns,
//! INT64, BOOLEAN or UTF-8 strings, [`ROW_GROUP_ROWS`] rows per row group.

use parquet::basic::Compression;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use std::sync::Arc;

/// Rows per row group written.
const ROW_GROUP_ROWS: usize = 1 << 20;

/// One column to write.
pub(crate) enum Column {
    Int(Vec<i64>),
    Text(Vec<String>),
    Bool(Vec<bool>),
}

impl Column {
    fn schema_type(&self) -> &'static str {
        match self {
            Column::Int(_) => "INT64",
            Column::Text(_) => "BYTE_ARRAY",
            Column::Bool(_) => "BOOLEAN",
        }
    }
}

/// A snappy Parquet file of `columns` (all of equal length) named `names`.
pub(crate) fn write(message: &str, names: &[&str], columns: &[Column]) -> Result<Vec<u8>, String> {
    let fields: Vec<String> = names
        .iter()
        .zip(columns)
        .map(|(n, c)| match c {
            Column::Text(_) => format!("REQUIRED {} {n} (UTF8);", c.schema_type()),
            _ => format!("REQUIRED {} {n};", c.schema_type()),
        })
        .collect();
    let schema = parse_message_type(&format!("message {message} {{ {} }}", fields.join(" ")))
        .map_err(|e| e.to_string())?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let mut w = SerializedFileWriter::new(Vec::new(), Arc::new(schema), Arc::new(props))
        .map_err(|e| e.to_string())?;
    let rows = columns.first().map_or(0, |c| match c {
        Column::Int(v) => v.len(),
        Column::Text(v) => v.len(),
        Column::Bool(v) => v.len(),
    });
    let mut from = 0;
    while from < rows || (rows == 0 && from == 0) {
        let to = (from + ROW_GROUP_ROWS).min(rows);
        write_group(&mut w, columns, from, to).map_err(|e| e.to_string())?;
        from = to.max(from + 1);
    }
    w.into_inner().map_err(|e| e.to_string())
}

fn write_group(
    w: &mut SerializedFileWriter<Vec<u8>>,
    columns: &[Column],
    from: usize,
    to: usize,
) -> parquet::errors::Result<()> {
    let mut group = w.next_row_group()?;
    let mut i = 0;
    while let Some(mut col) = group.next_column()? {
        match columns.get(i) {
            Some(Column::Int(v)) => {
                col.typed::<Int64Type>()
                    .write_batch(v.get(from..to).unwrap_or(&[]), None, None)?;
            }
            Some(Column::Bool(v)) => {
                col.typed::<BoolType>()
                    .write_batch(v.get(from..to).unwrap_or(&[]), None, None)?;
            }
            Some(Column::Text(v)) => {
                let vals: Vec<ByteArray> = v
                    .get(from..to)
                    .unwrap_or(&[])
                    .iter()
                    .map(|s| ByteArray::from(s.as_str()))
                    .collect();
                col.typed::<ByteArrayType>()
                    .write_batch(&vals, None, None)?;
            }
            None => {}
        }
        col.close()?;
        i += 1;
    }
    group.close()?;
    Ok(())
}
