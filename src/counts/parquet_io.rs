//! Parquet reading and writing of the interchange tables, with the `parquet`
//! crate's column readers (no Arrow): Spark writes snappy, Athena `UNLOAD`
//! gzip, and both are read. Integer columns may be INT32 or INT64, booleans
//! BOOLEAN or strings, any column OPTIONAL (NULL reads as empty); every cell is
//! turned into the text the CSV path parses, so both containers obey the same
//! rules.

use super::read::{error, map_header, RowSink};
use super::FileError;
use parquet::basic::Compression;
use parquet::column::reader::ColumnReader;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use std::sync::Arc;

/// Rows per row group written.
const ROW_GROUP_ROWS: usize = 1 << 20;

/// Reads `n` levels/values of one column chunk with `r`, as text cells ("" for NULL).
fn column_text<T: parquet::data_type::DataType>(
    r: &mut parquet::column::reader::ColumnReaderImpl<T>,
    n: usize,
    max_def: i16,
    text: impl Fn(&T::T) -> Result<String, String>,
) -> Result<Vec<String>, String> {
    let mut values: Vec<T::T> = Vec::with_capacity(n);
    let mut defs: Vec<i16> = Vec::with_capacity(n);
    let mut records = 0;
    while records < n {
        let def = (max_def > 0).then_some(&mut defs);
        let (read, _, _) = r
            .read_records(n - records, def, None, &mut values)
            .map_err(|e| e.to_string())?;
        if read == 0 {
            return Err(format!("column ends after {records} of {n} rows"));
        }
        records += read;
    }
    let mut values = values.iter();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let present = max_def == 0 || defs.get(i) == Some(&max_def);
        out.push(
            match (present, if present { values.next() } else { None }) {
                (true, Some(v)) => text(v)?,
                (true, None) => return Err("fewer values than rows".to_string()),
                (false, _) => String::new(),
            },
        );
    }
    Ok(out)
}

/// One column chunk as text cells, whatever its physical type.
fn chunk_text(
    reader: ColumnReader,
    n: usize,
    max_def: i16,
    column: &str,
) -> Result<Vec<String>, String> {
    let num = |v: &dyn std::fmt::Display| Ok(v.to_string());
    match reader {
        ColumnReader::BoolColumnReader(mut r) => column_text(&mut r, n, max_def, |v| num(v)),
        ColumnReader::Int32ColumnReader(mut r) => column_text(&mut r, n, max_def, |v| num(v)),
        ColumnReader::Int64ColumnReader(mut r) => column_text(&mut r, n, max_def, |v| num(v)),
        ColumnReader::FloatColumnReader(mut r) => column_text(&mut r, n, max_def, |v| num(v)),
        ColumnReader::DoubleColumnReader(mut r) => column_text(&mut r, n, max_def, |v| num(v)),
        ColumnReader::ByteArrayColumnReader(mut r) => column_text(&mut r, n, max_def, |v| {
            std::str::from_utf8(v.data())
                .map(str::to_string)
                .map_err(|_| format!("column {column:?} holds bytes that are not UTF-8"))
        }),
        _ => Err(format!("column {column:?} has an unsupported Parquet type")),
    }
}

pub(crate) fn read(
    file: &str,
    bytes: &[u8],
    columns: &[&str],
    sink: &mut RowSink,
) -> Result<(), FileError> {
    // The parquet crate is not hardened against every malformed file; a panic
    // deep in a decoder must still become a refusal of this file.
    let data = bytes::Bytes::copy_from_slice(bytes);
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_rows(file, data, columns, sink)
    })) {
        Ok(r) => r,
        Err(_) => Err(error(
            file,
            "",
            "malformed Parquet file (the reader failed)",
        )),
    }
}

fn read_rows(
    file: &str,
    data: bytes::Bytes,
    columns: &[&str],
    sink: &mut RowSink,
) -> Result<(), FileError> {
    let reader = SerializedFileReader::new(data)
        .map_err(|e| error(file, "", format!("not a readable Parquet file: {e}")))?;
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let fields = schema.root_schema().get_fields();
    let names: Vec<String> = fields.iter().map(|f| f.name().to_string()).collect();
    if let Some(f) = fields.iter().find(|f| !f.is_primitive()) {
        return Err(error(
            file,
            "schema",
            format!("column {:?} is nested", f.name()),
        ));
    }
    let pos = map_header(&names, columns).map_err(|r| error(file, "schema", r))?;
    for g in 0..reader.num_row_groups() {
        let at_group = |e: String| error(file, format!("row group {g}"), e);
        let group = reader
            .get_row_group(g)
            .map_err(|e| at_group(e.to_string()))?;
        let n = usize::try_from(group.metadata().num_rows()).unwrap_or(0);
        let mut texts: Vec<Vec<String>> = Vec::with_capacity(names.len());
        for (c, name) in names.iter().enumerate() {
            let col = group
                .get_column_reader(c)
                .map_err(|e| at_group(format!("column {name:?}: {e}")))?;
            let max_def = schema.column(c).max_def_level();
            texts.push(chunk_text(col, n, max_def, name).map_err(at_group)?);
        }
        for r in 0..n {
            let cells: Vec<&str> = pos
                .iter()
                .map(|&p| texts[p].get(r).map_or("", String::as_str))
                .collect();
            sink(&cells).map_err(|e| error(file, format!("row group {g}, row {r}"), e))?;
        }
    }
    Ok(())
}

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

/// The column names of a Parquet file's schema (for telling counts from attributions).
pub(crate) fn column_names(file: &str, bytes: &[u8]) -> Result<Vec<String>, FileError> {
    let data = bytes::Bytes::copy_from_slice(bytes);
    let names = std::panic::catch_unwind(|| {
        SerializedFileReader::new(data).map(|r| {
            let schema = r.metadata().file_metadata().schema_descr_ptr();
            let fields = schema.root_schema().get_fields();
            fields.iter().map(|f| f.name().to_string()).collect()
        })
    });
    match names {
        Ok(Ok(n)) => Ok(n),
        Ok(Err(e)) => Err(error(file, "", format!("not a readable Parquet file: {e}"))),
        Err(_) => Err(error(
            file,
            "",
            "malformed Parquet file (the reader failed)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::basic::GzipLevel;
    use parquet::data_type::Int32Type;

    /// A counts file as Athena UNLOAD or Spark may write it: gzip, OPTIONAL
    /// columns with a NULL error code, `version` INT32, `read_only` a string.
    fn foreign_file(events: [i64; 2]) -> Vec<u8> {
        let schema = parse_message_type(
            "message m { OPTIONAL INT32 version; OPTIONAL BYTE_ARRAY account (UTF8);
             OPTIONAL BYTE_ARRAY region (UTF8); OPTIONAL BYTE_ARRAY event_source (UTF8);
             OPTIONAL BYTE_ARRAY event_name (UTF8); OPTIONAL BYTE_ARRAY event_category (UTF8);
             OPTIONAL BYTE_ARRAY read_only (UTF8); OPTIONAL BYTE_ARRAY error_code (UTF8);
             OPTIONAL INT64 minute; OPTIONAL INT64 events; }",
        )
        .unwrap();
        let props = WriterProperties::builder()
            .set_compression(Compression::GZIP(GzipLevel::default()))
            .build();
        let mut w =
            SerializedFileWriter::new(Vec::new(), Arc::new(schema), Arc::new(props)).unwrap();
        let mut g = w.next_row_group().unwrap();
        let text = |v: &[&str]| v.iter().map(|s| ByteArray::from(*s)).collect::<Vec<_>>();
        let mut i = 0;
        while let Some(mut col) = g.next_column().unwrap() {
            match i {
                0 => {
                    col.typed::<Int32Type>()
                        .write_batch(&[1, 1], Some(&[1, 1]), None)
                        .unwrap();
                }
                1..=7 => {
                    let (vals, defs): (Vec<&str>, Vec<i16>) = match i {
                        1 => (vec!["111122223333", "111122223333"], vec![1, 1]),
                        2 => (vec!["eu-west-1", "eu-west-1"], vec![1, 1]),
                        3 => (vec!["ec2.amazonaws.com", "ec2.amazonaws.com"], vec![1, 1]),
                        4 => (vec!["RunInstances", "RunInstances"], vec![1, 1]),
                        5 => (vec!["Management", "Management"], vec![1, 1]),
                        6 => (vec!["false", "false"], vec![1, 1]),
                        _ => (vec!["Client.UnauthorizedOperation"], vec![0, 1]),
                    };
                    col.typed::<ByteArrayType>()
                        .write_batch(&text(&vals), Some(&defs), None)
                        .unwrap();
                }
                8 => {
                    col.typed::<Int64Type>()
                        .write_batch(&[29_540_160, 29_540_160], Some(&[1, 1]), None)
                        .unwrap();
                }
                _ => {
                    col.typed::<Int64Type>()
                        .write_batch(&events, Some(&[1, 1]), None)
                        .unwrap();
                }
            }
            col.close().unwrap();
            i += 1;
        }
        g.close().unwrap();
        w.into_inner().unwrap()
    }

    #[test]
    fn reads_gzip_optional_int32_and_string_booleans() {
        let t = crate::counts::read_counts([("unload.parquet", foreign_file([5, 2]).as_slice())])
            .unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.total_events(), 7);
        let codes: Vec<(&str, u64)> = t
            .rows
            .iter()
            .map(|(k, n)| (t.strings.resolve(k.error_code), *n))
            .collect();
        assert_eq!(codes, [("", 5), ("Client.UnauthorizedOperation", 2)]);
        assert!(t.rows.iter().all(|(k, _)| !k.read_only));
    }

    #[test]
    fn a_bad_cell_names_its_row_group_and_row() {
        let zero = foreign_file([5, 0]);
        let e = crate::counts::read_counts([("x.parquet", zero.as_slice())])
            .err()
            .unwrap();
        assert_eq!(
            e.to_string(),
            "x.parquet: row group 0, row 1: events must be at least 1, got 0"
        );
        let mut bytes = foreign_file([5, 2]);
        // Same file, but read as attributions: the schema is refused.
        let e = crate::counts::read_attributions([("x.parquet", bytes.as_slice())]).unwrap_err();
        assert_eq!(e.place, "schema");
        assert!(e.reason.starts_with("unexpected column \"account\""), "{e}");
        bytes.truncate(40);
        let e = crate::counts::read_counts([("x.parquet", bytes.as_slice())])
            .err()
            .unwrap();
        assert!(e.to_string().starts_with("x.parquet: "), "{e}");
    }
}
