//! Reading the interchange tables from Parquet, with the `parquet` crate's
//! column readers (no Arrow): Spark writes snappy, Athena `UNLOAD` gzip, and
//! both are read. Integer columns may be INT32 or INT64, booleans BOOLEAN or
//! strings, any column OPTIONAL (NULL reads as empty); every cell is turned
//! into the text the CSV path parses, so both containers obey the same rules.
//! Columns are read a batch of rows at a time and each row's cells written
//! into one reused buffer: a 1.4-million-row file costs a few megabytes and
//! no allocation per cell (the dashboard reads these files in a worker).

use super::read::{error, map_header, RowSink};
use super::FileError;
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::{
    BoolType, ByteArray, ByteArrayType, DataType, DoubleType, FloatType, Int32Type, Int64Type,
};
use parquet::file::reader::{FileReader, SerializedFileReader};
use std::ops::Range;

/// Rows read from every column at a time: memory stays bounded whatever the
/// row-group size (`trailsight counts` writes 1,048,576 rows per group).
const BATCH_ROWS: usize = 8192;

/// A column chunk's reader with the values of its current batch, by physical type.
enum Values {
    Bool(ColumnReaderImpl<BoolType>, Vec<bool>),
    Int32(ColumnReaderImpl<Int32Type>, Vec<i32>),
    Int64(ColumnReaderImpl<Int64Type>, Vec<i64>),
    Float(ColumnReaderImpl<FloatType>, Vec<f32>),
    Double(ColumnReaderImpl<DoubleType>, Vec<f64>),
    Bytes(ColumnReaderImpl<ByteArrayType>, Vec<ByteArray>),
}

/// One column of a row group, read batch by batch and turned cell by cell into
/// the text the CSV path parses ("" for NULL), without a string per cell.
struct ReadColumn {
    name: String,
    max_def: i16,
    defs: Vec<i16>,
    values: Values,
    /// The next present value of the batch.
    next: usize,
}

impl ReadColumn {
    fn new(reader: ColumnReader, max_def: i16, name: &str) -> Result<ReadColumn, String> {
        let values = match reader {
            ColumnReader::BoolColumnReader(r) => Values::Bool(r, Vec::new()),
            ColumnReader::Int32ColumnReader(r) => Values::Int32(r, Vec::new()),
            ColumnReader::Int64ColumnReader(r) => Values::Int64(r, Vec::new()),
            ColumnReader::FloatColumnReader(r) => Values::Float(r, Vec::new()),
            ColumnReader::DoubleColumnReader(r) => Values::Double(r, Vec::new()),
            ColumnReader::ByteArrayColumnReader(r) => Values::Bytes(r, Vec::new()),
            _ => return Err(format!("column {name:?} has an unsupported Parquet type")),
        };
        Ok(ReadColumn {
            name: name.to_string(),
            max_def,
            defs: Vec::new(),
            values,
            next: 0,
        })
    }

    /// Reads the rows `rows` of the group's `total`, dropping the previous batch.
    fn fill(&mut self, rows: Range<usize>, total: usize) -> Result<(), String> {
        let b = Batch {
            rows,
            total,
            max_def: self.max_def,
        };
        let d = &mut self.defs;
        d.clear();
        self.next = 0;
        match &mut self.values {
            Values::Bool(r, v) => b.read(r, v, d),
            Values::Int32(r, v) => b.read(r, v, d),
            Values::Int64(r, v) => b.read(r, v, d),
            Values::Float(r, v) => b.read(r, v, d),
            Values::Double(r, v) => b.read(r, v, d),
            Values::Bytes(r, v) => b.read(r, v, d),
        }
    }

    /// Appends row `i`'s cell (of the current batch) to `out`.
    fn write_cell(&mut self, i: usize, out: &mut String) -> Result<(), String> {
        use std::fmt::Write;
        if self.max_def > 0 && self.defs.get(i) != Some(&self.max_def) {
            return Ok(());
        }
        let at = self.next;
        self.next += 1;
        let missing = || "fewer values than rows".to_string();
        let _ = match &self.values {
            Values::Bool(_, v) => write!(out, "{}", v.get(at).ok_or_else(missing)?),
            Values::Int32(_, v) => write!(out, "{}", v.get(at).ok_or_else(missing)?),
            Values::Int64(_, v) => write!(out, "{}", v.get(at).ok_or_else(missing)?),
            Values::Float(_, v) => write!(out, "{}", v.get(at).ok_or_else(missing)?),
            Values::Double(_, v) => write!(out, "{}", v.get(at).ok_or_else(missing)?),
            Values::Bytes(_, v) => {
                let b = v.get(at).ok_or_else(missing)?;
                let text = std::str::from_utf8(b.data()).map_err(|_| {
                    format!("column {:?} holds bytes that are not UTF-8", self.name)
                })?;
                out.push_str(text);
                Ok(())
            }
        };
        Ok(())
    }
}

/// Which rows of a row group one read takes.
struct Batch {
    rows: Range<usize>,
    /// The group's rows.
    total: usize,
    max_def: i16,
}

impl Batch {
    /// Reads the batch's records with `r` into `values` (the present values)
    /// and `defs` (definition levels, when the column is OPTIONAL), both cleared first.
    fn read<T: DataType>(
        &self,
        r: &mut ColumnReaderImpl<T>,
        values: &mut Vec<T::T>,
        defs: &mut Vec<i16>,
    ) -> Result<(), String> {
        values.clear();
        let n = self.rows.len();
        let mut records = 0;
        while records < n {
            let def = (self.max_def > 0).then_some(&mut *defs);
            let (read, _, _) = r
                .read_records(n - records, def, None, values)
                .map_err(|e| e.to_string())?;
            if read == 0 {
                return Err(format!(
                    "column ends after {} of {} rows",
                    self.rows.start + records,
                    self.total
                ));
            }
            records += read;
        }
        Ok(())
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
        let mut cols = Vec::with_capacity(names.len());
        for (c, name) in names.iter().enumerate() {
            let col = group
                .get_column_reader(c)
                .map_err(|e| at_group(format!("column {name:?}: {e}")))?;
            let max_def = schema.column(c).max_def_level();
            cols.push(ReadColumn::new(col, max_def, name).map_err(at_group)?);
        }
        let mut row = RowText::default();
        for from in (0..n).step_by(BATCH_ROWS) {
            let batch = from..(from + BATCH_ROWS).min(n);
            for col in &mut cols {
                col.fill(batch.clone(), n).map_err(at_group)?;
            }
            for r in batch {
                row.read(&mut cols, r - from).map_err(at_group)?;
                sink(&row.cells(&pos))
                    .map_err(|e| error(file, format!("row group {g}, row {r}"), e))?;
            }
        }
    }
    Ok(())
}

/// One row's cells, written into one reused buffer.
#[derive(Default)]
struct RowText {
    text: String,
    /// `bounds[c]..bounds[c + 1]` is column `c`'s cell.
    bounds: Vec<usize>,
}

impl RowText {
    /// Row `i` of the current batch of `cols`.
    fn read(&mut self, cols: &mut [ReadColumn], i: usize) -> Result<(), String> {
        self.text.clear();
        self.bounds.clear();
        self.bounds.push(0);
        for col in cols {
            col.write_cell(i, &mut self.text)?;
            self.bounds.push(self.text.len());
        }
        Ok(())
    }

    /// The cells of the columns at `pos`, in that order.
    fn cells(&self, pos: &[usize]) -> Vec<&str> {
        pos.iter()
            .map(|&p| match (self.bounds.get(p), self.bounds.get(p + 1)) {
                (Some(&a), Some(&b)) => self.text.get(a..b).unwrap_or(""),
                _ => "",
            })
            .collect()
    }
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
    use parquet::basic::{Compression, GzipLevel};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    use std::sync::Arc;

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

    /// `rows` rows whose OPTIONAL `error_code` is NULL except in every third
    /// row, and whose `read_only` is NULL (inferred from the verb) in every
    /// fifth: the NULLs fall on both sides of the read batches' boundaries.
    fn nullable_file(rows: usize) -> Vec<u8> {
        let schema = parse_message_type(
            "message m { REQUIRED INT64 version; REQUIRED BYTE_ARRAY account (UTF8);
             REQUIRED BYTE_ARRAY region (UTF8); REQUIRED BYTE_ARRAY event_source (UTF8);
             REQUIRED BYTE_ARRAY event_name (UTF8); REQUIRED BYTE_ARRAY event_category (UTF8);
             OPTIONAL BOOLEAN read_only; OPTIONAL BYTE_ARRAY error_code (UTF8);
             REQUIRED INT64 minute; REQUIRED INT64 events; }",
        )
        .unwrap();
        let props = WriterProperties::builder().build();
        let mut w =
            SerializedFileWriter::new(Vec::new(), Arc::new(schema), Arc::new(props)).unwrap();
        let mut g = w.next_row_group().unwrap();
        let text = |f: &dyn Fn(usize) -> String| -> Vec<ByteArray> {
            (0..rows).map(|i| ByteArray::from(f(i).as_str())).collect()
        };
        let defs =
            |every: usize| -> Vec<i16> { (0..rows).map(|i| i16::from(i % every != 0)).collect() };
        let mut c = 0;
        while let Some(mut col) = g.next_column().unwrap() {
            match c {
                0 | 8 | 9 => {
                    let v: Vec<i64> = (0..rows)
                        .map(|i| match c {
                            0 => 1,
                            8 => 100 + i as i64,
                            _ => 1 + (i % 4) as i64,
                        })
                        .collect();
                    col.typed::<Int64Type>()
                        .write_batch(&v, None, None)
                        .unwrap();
                }
                6 => {
                    let d = defs(5);
                    let v: Vec<bool> = (0..rows)
                        .filter(|i| i % 5 != 0)
                        .map(|i| i % 2 == 0)
                        .collect();
                    col.typed::<BoolType>()
                        .write_batch(&v, Some(&d), None)
                        .unwrap();
                }
                7 => {
                    let d: Vec<i16> = (0..rows).map(|i| i16::from(i % 3 == 0)).collect();
                    let v: Vec<ByteArray> = (0..rows)
                        .filter(|i| i % 3 == 0)
                        .map(|i| ByteArray::from(format!("E{}", i % 7).as_str()))
                        .collect();
                    col.typed::<ByteArrayType>()
                        .write_batch(&v, Some(&d), None)
                        .unwrap();
                }
                _ => {
                    let v = text(&|i| match c {
                        1 => format!("{}", 111 + i % 3),
                        2 => "eu-west-1".to_string(),
                        3 => "ec2.amazonaws.com".to_string(),
                        4 => ["RunInstances", "DescribeInstances"][i % 2].to_string(),
                        _ => "Management".to_string(),
                    });
                    col.typed::<ByteArrayType>()
                        .write_batch(&v, None, None)
                        .unwrap();
                }
            }
            col.close().unwrap();
            c += 1;
        }
        g.close().unwrap();
        w.into_inner().unwrap()
    }

    #[test]
    fn nulls_across_read_batches_read_as_the_csv_of_the_same_rows() {
        let rows = 2 * BATCH_ROWS + 123;
        let mut csv = crate::counts::COUNTS_COLUMNS.join(",");
        for i in 0..rows {
            let name = ["RunInstances", "DescribeInstances"][i % 2];
            let ro = if i % 5 == 0 {
                String::new()
            } else {
                (i % 2 == 0).to_string()
            };
            let code = if i % 3 == 0 {
                format!("E{}", i % 7)
            } else {
                String::new()
            };
            csv += &format!(
                "\n1,{},eu-west-1,ec2.amazonaws.com,{name},Management,{ro},{code},{},{}",
                111 + i % 3,
                100 + i,
                1 + i % 4
            );
        }
        let from_csv = crate::counts::read_counts([("x.csv", csv.as_bytes())]).unwrap();
        let file = nullable_file(rows);
        let from_parquet = crate::counts::read_counts([("x.parquet", file.as_slice())]).unwrap();
        let text = |t: &crate::counts::CountsTable| {
            let s = |sym| t.strings.resolve(sym).to_string();
            t.rows
                .iter()
                .map(|(k, n)| {
                    (
                        k.minute,
                        s(k.account),
                        s(k.name),
                        k.read_only,
                        s(k.error_code),
                        *n,
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(from_parquet.rows.len(), rows);
        assert_eq!(text(&from_parquet), text(&from_csv));
    }
}
