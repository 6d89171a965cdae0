//! `CsvReader`: rows of exact numbers from a CSV file, read one at a time.
//!
//! The first line names the columns. Cells are read as exact decimals
//! (`1.25` is 5/4, `1e-3` is 1/1000); quoted cells, a UTF-8 byte-order mark
//! and CRLF line ends are accepted, `NaN` and infinities are refused. Only
//! one row is held at a time, so a file of any length is read in constant
//! memory. Errors name the file, the row and the column.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::limits::Limits;
use crate::number::{DecimalError, Q};

/// Why a dataset could not be read. Rows count the data rows from 1 (the
/// header is not a row); lines count the lines of the file from 1.
///
/// ```
/// use kobai::{CsvReader, DataError};
/// let mut data = CsvReader::new("points.csv", "x,t\n1,2\n2,oops\n".as_bytes())?;
/// let columns = [data.require("x")?, data.require("t")?];
/// let mut row = Vec::new();
/// assert!(data.read_row(&columns, &mut row)?);
/// let err = data.read_row(&columns, &mut row).unwrap_err();
/// assert!(matches!(err, DataError::NotANumber { row: 2, line: 3, .. }));
/// assert_eq!(err.to_string(), "points.csv, row 2 (line 3), column `t`: `oops` is not a number");
/// # Ok::<(), kobai::DataError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DataError {
    /// The file could not be opened or read.
    #[error("cannot read {source_name}: {message}")]
    Io {
        /// The file, as named by the user.
        source_name: String,
        /// What the system said.
        message: String,
    },
    /// The file has no header line.
    #[error("{source_name} is empty: expected a header line naming the columns, such as `x,t`")]
    Empty {
        /// The file.
        source_name: String,
    },
    /// The file has a header line but no data rows.
    #[error("{source_name} has a header ({}) but no data rows", columns.join(", "))]
    NoRows {
        /// The file.
        source_name: String,
        /// The column names of the header.
        columns: Vec<String>,
    },
    /// A column that the formula needs is not in the header.
    #[error("{source_name} has no column `{column}`{}; its columns are {}", for_variable.as_ref().map(|v| format!(" (for the variable `{v}`)")).unwrap_or_default(), columns.join(", "))]
    MissingColumn {
        /// The file.
        source_name: String,
        /// The column looked for.
        column: String,
        /// The formula's variable it was to give values to, when the name
        /// differs (`--map`).
        for_variable: Option<String>,
        /// The columns the header has.
        columns: Vec<String>,
    },
    /// Two header cells have the same name.
    #[error("{source_name}: the header names the column `{column}` twice")]
    DuplicateColumn {
        /// The file.
        source_name: String,
        /// The repeated name.
        column: String,
    },
    /// A row has a different number of cells than the header.
    #[error("{source_name}, row {row} (line {line}): {found} cells, but the header has {expected}")]
    Ragged {
        /// The file.
        source_name: String,
        /// The data row.
        row: u64,
        /// The line where the row starts.
        line: u64,
        /// The number of header cells.
        expected: usize,
        /// The number of cells in the row.
        found: usize,
    },
    /// A cell of a needed column is not a decimal number.
    #[error("{source_name}, row {row} (line {line}), column `{column}`: `{value}` is not a number")]
    NotANumber {
        /// The file.
        source_name: String,
        /// The data row.
        row: u64,
        /// The line where the row starts.
        line: u64,
        /// The column.
        column: String,
        /// The cell as written.
        value: String,
    },
    /// A cell of a needed column is empty.
    #[error("{source_name}, row {row} (line {line}), column `{column}`: the cell is empty")]
    EmptyCell {
        /// The file.
        source_name: String,
        /// The data row.
        row: u64,
        /// The line where the row starts.
        line: u64,
        /// The column.
        column: String,
    },
    /// A cell of a needed column is `NaN` or an infinity.
    #[error(
        "{source_name}, row {row} (line {line}), column `{column}`: `{value}` is not a finite number; kobai sums \
         exactly, so remove the row or fill in a value"
    )]
    NotFinite {
        /// The file.
        source_name: String,
        /// The data row.
        row: u64,
        /// The line where the row starts.
        line: u64,
        /// The column.
        column: String,
        /// The cell as written.
        value: String,
    },
    /// A number whose exponent is beyond what kobai accepts (`1e99999`).
    #[error("{source_name}, row {row} (line {line}), column `{column}`: the exponent of `{value}` is too large")]
    ExponentTooLarge {
        /// The file.
        source_name: String,
        /// The data row.
        row: u64,
        /// The line where the row starts.
        line: u64,
        /// The column.
        column: String,
        /// The cell as written.
        value: String,
    },
    /// A row, a cell or the header is larger than [`Limits`] allows.
    #[error("{source_name}, line {line}: {what} exceeds the limit of {limit}; raise it with {flag}")]
    Limit {
        /// The file.
        source_name: String,
        /// The line where it happened.
        line: u64,
        /// What was limited, with its unit (`the length of a cell in bytes`).
        what: &'static str,
        /// The limit in force.
        limit: u64,
        /// The option that raises it.
        flag: &'static str,
    },
    /// The text is not valid UTF-8 or not valid CSV.
    #[error("{source_name}, line {line}: {message}")]
    Malformed {
        /// The file.
        source_name: String,
        /// The line.
        line: u64,
        /// What is wrong.
        message: String,
    },
}

impl From<DataError> for crate::Error {
    /// A dataset that cannot be read is a mistake in the input, so it becomes
    /// [`Error::Usage`](crate::Error::Usage) with the same message.
    fn from(err: DataError) -> crate::Error {
        crate::Error::Usage { message: err.to_string() }
    }
}

/// A CSV file read row by row, with exact numbers in the columns asked for.
///
/// ```
/// use kobai::{CsvReader, Q};
/// let text = "\u{feff}x,label,t\r\n1.25,\"a, b\",\"2\"\r\n1e-3,c,3\r\n";
/// let mut data = CsvReader::new("points.csv", text.as_bytes())?;
/// assert_eq!(data.columns(), ["x", "label", "t"]);
/// let columns = [data.require("x")?, data.require("t")?];
/// let mut row = Vec::new();
/// assert!(data.read_row(&columns, &mut row)?);
/// assert_eq!(row, [Q::new(5, 4), Q::from(2)]);
/// assert!(data.read_row(&columns, &mut row)?);
/// assert_eq!(row, [Q::new(1, 1000), Q::from(3)]);
/// assert!(!data.read_row(&columns, &mut row)?);
/// assert_eq!(data.rows_read(), 2);
/// # Ok::<(), kobai::DataError>(())
/// ```
pub struct CsvReader<R: Read> {
    source_name: String,
    reader: BufReader<R>,
    columns: Vec<String>,
    /// The current record: its cells' bytes, unquoted, one after the other.
    record: Vec<u8>,
    /// Where each cell of the current record lies in `record`.
    cells: Vec<(usize, usize)>,
    /// One raw line of input.
    raw: Vec<u8>,
    /// The number of lines read so far.
    line: u64,
    rows: u64,
    limits: Limits,
    /// The last line read was cut short at the row limit.
    cut: bool,
}

impl CsvReader<File> {
    /// Opens a file; its name is used in error messages.
    ///
    /// ```
    /// let err = kobai::CsvReader::open(std::path::Path::new("no/such.csv")).err().unwrap();
    /// assert!(err.to_string().starts_with("cannot read no/such.csv"));
    /// ```
    pub fn open(path: &Path) -> Result<CsvReader<File>, DataError> {
        CsvReader::open_with(path, &Limits::default())
    }

    /// Opens a file with the row, cell and column limits of `limits`.
    ///
    /// ```
    /// let err = kobai::CsvReader::open_with(std::path::Path::new("no/such.csv"), &kobai::Limits::default());
    /// assert!(err.is_err());
    /// ```
    pub fn open_with(path: &Path, limits: &Limits) -> Result<CsvReader<File>, DataError> {
        let name = path.display().to_string();
        let file = File::open(path).map_err(|e| DataError::Io { source_name: name.clone(), message: e.to_string() })?;
        CsvReader::with_limits(&name, file, limits)
    }
}

impl<R: Read> CsvReader<R> {
    /// Reads the header line from `reader`; `source_name` names the data in
    /// error messages (a file name, or `standard input`).
    ///
    /// ```
    /// let data = kobai::CsvReader::new("d.csv", " x , t \n1,2\n".as_bytes())?;
    /// assert_eq!(data.columns(), ["x", "t"]);
    /// assert!(kobai::CsvReader::new("d.csv", "".as_bytes()).is_err());
    /// # Ok::<(), kobai::DataError>(())
    /// ```
    pub fn new(source_name: &str, reader: R) -> Result<CsvReader<R>, DataError> {
        CsvReader::with_limits(source_name, reader, &Limits::default())
    }

    /// [`CsvReader::new`] with the row, cell and column limits of `limits`.
    ///
    /// ```
    /// let limits = kobai::Limits::default().with_max_csv_columns(2);
    /// let err = kobai::CsvReader::with_limits("d.csv", "x,y,t\n".as_bytes(), &limits).err().unwrap();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "d.csv, line 1: the number of columns exceeds the limit of 2; raise it with --max-csv-columns"
    /// );
    /// ```
    pub fn with_limits(source_name: &str, reader: R, limits: &Limits) -> Result<CsvReader<R>, DataError> {
        let mut buffered = BufReader::new(reader);
        let io_error =
            |e: std::io::Error| DataError::Io { source_name: source_name.to_string(), message: e.to_string() };
        // A byte-order mark, as some spreadsheets write, is not part of the
        // first column's name.
        if buffered.fill_buf().map_err(io_error)?.starts_with(b"\xEF\xBB\xBF") {
            buffered.consume(3);
        }
        let mut data = CsvReader {
            source_name: source_name.to_string(),
            reader: buffered,
            columns: Vec::new(),
            record: Vec::new(),
            cells: Vec::new(),
            raw: Vec::new(),
            line: 0,
            rows: 0,
            limits: *limits,
            cut: false,
        };
        let Some(header_line) = data.read_record()? else {
            return Err(DataError::Empty { source_name: source_name.to_string() });
        };
        let mut columns = Vec::with_capacity(data.cells.len());
        for i in 0..data.cells.len() {
            let name = std::str::from_utf8(data.cell(i)).map_err(|_| DataError::Malformed {
                source_name: source_name.to_string(),
                line: header_line,
                message: "the header is not valid UTF-8".to_string(),
            })?;
            if !name.is_empty() && columns.iter().any(|c: &String| c == name) {
                return Err(DataError::DuplicateColumn {
                    source_name: source_name.to_string(),
                    column: name.to_string(),
                });
            }
            columns.push(name.to_string());
        }
        data.columns = columns;
        Ok(data)
    }

    /// Cell `i` of the current record, without surrounding whitespace.
    fn cell(&self, i: usize) -> &[u8] {
        let (start, end) = self.cells.get(i).copied().unwrap_or((0, 0));
        self.record.get(start..end).unwrap_or_default().trim_ascii()
    }

    /// Reads the next record that is not a blank line, RFC 4180 style: cells
    /// separated by commas, a cell in double quotes may hold commas, line
    /// breaks and doubled quotes (`""`). Returns the line it starts on, or
    /// `None` at the end of the input.
    fn read_record(&mut self) -> Result<Option<u64>, DataError> {
        self.record.clear();
        self.cells.clear();
        // Skip blank lines.
        loop {
            self.raw.clear();
            let n = self.read_line(0)?;
            if n == 0 {
                return Ok(None);
            }
            self.line += 1;
            if !self.raw.trim_ascii().is_empty() {
                break;
            }
        }
        let start_line = self.line;
        let mut in_quotes = false;
        let mut after_quote = false;
        let mut cell_start = 0;
        loop {
            let body = strip_line_end(&self.raw);
            let mut i = 0;
            while let Some(&b) = body.get(i) {
                if in_quotes {
                    if b == b'"' {
                        if body.get(i + 1) == Some(&b'"') {
                            self.record.push(b'"');
                            i += 1;
                        } else {
                            in_quotes = false;
                            after_quote = true;
                        }
                    } else {
                        self.record.push(b);
                    }
                } else if b == b',' {
                    if self.cells.len() + 2 > self.limits.max_csv_columns {
                        return Err(self.limit_error(
                            "the number of columns",
                            self.limits.max_csv_columns,
                            "--max-csv-columns",
                        ));
                    }
                    self.cells.push((cell_start, self.record.len()));
                    cell_start = self.record.len();
                    after_quote = false;
                } else if b == b'"'
                    && !after_quote
                    && self.record.get(cell_start..).is_some_and(|c| c.trim_ascii().is_empty())
                {
                    self.record.truncate(cell_start);
                    in_quotes = true;
                } else if after_quote && !b.is_ascii_whitespace() {
                    return Err(DataError::Malformed {
                        source_name: self.source_name.clone(),
                        line: self.line,
                        message: "text after the closing quote of a cell".to_string(),
                    });
                } else {
                    self.record.push(b);
                }
                if self.record.len() - cell_start.min(self.record.len()) > self.limits.max_csv_cell_bytes {
                    return Err(self.limit_error(
                        "the length of a cell in bytes",
                        self.limits.max_csv_cell_bytes,
                        "--max-csv-cell-bytes",
                    ));
                }
                i += 1;
            }
            self.check_row_length()?;
            if !in_quotes {
                break;
            }
            // A quoted cell goes on over the line break.
            self.record.push(b'\n');
            self.raw.clear();
            let n = self.read_line(self.record.len())?;
            if n == 0 {
                return Err(DataError::Malformed {
                    source_name: self.source_name.clone(),
                    line: start_line,
                    message: "a quoted cell is not closed".to_string(),
                });
            }
            self.line += 1;
        }
        self.cells.push((cell_start, self.record.len()));
        Ok(Some(start_line))
    }

    /// Reads one line into `raw`, at most one byte more than a row may
    /// still hold after `used` bytes, so that a file without line breaks
    /// cannot fill the memory.
    fn read_line(&mut self, used: usize) -> Result<usize, DataError> {
        let room = self.limits.max_csv_row_bytes.saturating_sub(used).saturating_add(1);
        let reader = &mut self.reader;
        let n = reader
            .take(room as u64)
            .read_until(b'\n', &mut self.raw)
            .map_err(|e| DataError::Io { source_name: self.source_name.clone(), message: e.to_string() })?;
        self.cut = n == room && !self.raw.ends_with(b"\n");
        Ok(n)
    }

    /// Fails when the line just read was cut short by the row limit.
    fn check_row_length(&self) -> Result<(), DataError> {
        if self.cut {
            return Err(self.limit_error(
                "the length of a row in bytes",
                self.limits.max_csv_row_bytes,
                "--max-csv-row-bytes",
            ));
        }
        Ok(())
    }

    fn limit_error(&self, what: &'static str, limit: usize, flag: &'static str) -> DataError {
        DataError::Limit { source_name: self.source_name.clone(), line: self.line, what, limit: limit as u64, flag }
    }

    /// The column names, in the order of the header.
    ///
    /// ```
    /// let data = kobai::CsvReader::new("d.csv", "size,price\n".as_bytes())?;
    /// assert_eq!(data.columns(), ["size", "price"]);
    /// # Ok::<(), kobai::DataError>(())
    /// ```
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The name used in error messages.
    ///
    /// ```
    /// let data = kobai::CsvReader::new("d.csv", "x\n".as_bytes())?;
    /// assert_eq!(data.source_name(), "d.csv");
    /// # Ok::<(), kobai::DataError>(())
    /// ```
    pub fn source_name(&self) -> &str {
        &self.source_name
    }

    /// The index of the column `name`, if the header has it.
    ///
    /// ```
    /// let data = kobai::CsvReader::new("d.csv", "x,t\n".as_bytes())?;
    /// assert_eq!((data.column("t"), data.column("y")), (Some(1), None));
    /// # Ok::<(), kobai::DataError>(())
    /// ```
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// The index of the column `name`, or an error that lists the columns.
    ///
    /// ```
    /// let data = kobai::CsvReader::new("d.csv", "x,t\n".as_bytes())?;
    /// let err = data.require("y").unwrap_err();
    /// assert_eq!(err.to_string(), "d.csv has no column `y`; its columns are x, t");
    /// # Ok::<(), kobai::DataError>(())
    /// ```
    pub fn require(&self, name: &str) -> Result<usize, DataError> {
        self.column(name).ok_or_else(|| DataError::MissingColumn {
            source_name: self.source_name.clone(),
            column: name.to_string(),
            for_variable: None,
            columns: self.columns.clone(),
        })
    }

    /// How many data rows have been read so far.
    ///
    /// ```
    /// let data = kobai::CsvReader::new("d.csv", "x\n1\n".as_bytes())?;
    /// assert_eq!(data.rows_read(), 0);
    /// # Ok::<(), kobai::DataError>(())
    /// ```
    pub fn rows_read(&self) -> u64 {
        self.rows
    }

    /// Reads the next data row into `values`, one exact number per entry of
    /// `columns` (indices into [`CsvReader::columns`]); `false` at the end.
    /// Lines that are entirely empty are skipped; an index out of range is
    /// reported as a short row.
    ///
    /// ```
    /// use kobai::{CsvReader, Q};
    /// let mut data = CsvReader::new("d.csv", "x,t\n1,2\n".as_bytes())?;
    /// let mut row = Vec::new();
    /// assert!(data.read_row(&[1, 0], &mut row)?);
    /// assert_eq!(row, [Q::from(2), Q::from(1)]);
    /// # Ok::<(), kobai::DataError>(())
    /// ```
    pub fn read_row(&mut self, columns: &[usize], values: &mut Vec<Q>) -> Result<bool, DataError> {
        values.clear();
        let Some(line) = self.read_record()? else { return Ok(false) };
        self.rows += 1;
        if self.cells.len() != self.columns.len() {
            return Err(DataError::Ragged {
                source_name: self.source_name.clone(),
                row: self.rows,
                line,
                expected: self.columns.len(),
                found: self.cells.len(),
            });
        }
        for &index in columns {
            let cell = self.cell(index);
            let column = || self.columns.get(index).cloned().unwrap_or_default();
            match parse_cell(cell) {
                Ok(q) => values.push(q),
                Err(problem) => {
                    let (source_name, row) = (self.source_name.clone(), self.rows);
                    let value = String::from_utf8_lossy(cell).into_owned();
                    return Err(match problem {
                        CellProblem::Empty => DataError::EmptyCell { source_name, row, line, column: column() },
                        CellProblem::NotFinite => {
                            DataError::NotFinite { source_name, row, line, column: column(), value }
                        }
                        CellProblem::ExponentTooLarge => {
                            DataError::ExponentTooLarge { source_name, row, line, column: column(), value }
                        }
                        CellProblem::Malformed => {
                            DataError::NotANumber { source_name, row, line, column: column(), value }
                        }
                    });
                }
            }
        }
        Ok(true)
    }

    /// Checks that at least one row was read, for callers that need data.
    ///
    /// ```
    /// let data = kobai::CsvReader::new("d.csv", "x,t\n".as_bytes())?;
    /// assert_eq!(data.expect_rows().unwrap_err().to_string(), "d.csv has a header (x, t) but no data rows");
    /// # Ok::<(), kobai::DataError>(())
    /// ```
    pub fn expect_rows(&self) -> Result<(), DataError> {
        if self.rows == 0 {
            return Err(DataError::NoRows { source_name: self.source_name.clone(), columns: self.columns.clone() });
        }
        Ok(())
    }
}

/// A line without its `\n` or `\r\n`.
fn strip_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

enum CellProblem {
    Empty,
    NotFinite,
    ExponentTooLarge,
    Malformed,
}

/// Reads one cell (trimmed and unquoted) as an exact decimal.
fn parse_cell(cell: &[u8]) -> Result<Q, CellProblem> {
    if cell.is_empty() {
        return Err(CellProblem::Empty);
    }
    if let Some(q) = parse_short_decimal(cell) {
        return Ok(q);
    }
    let text = std::str::from_utf8(cell).map_err(|_| CellProblem::Malformed)?;
    let unsigned = text.trim_start_matches(['+', '-']).to_ascii_lowercase();
    if matches!(unsigned.as_str(), "nan" | "inf" | "infinity") {
        return Err(CellProblem::NotFinite);
    }
    match Q::parse_decimal(text) {
        Ok(q) => Ok(q),
        Err(DecimalError::ExponentTooLarge { .. }) => Err(CellProblem::ExponentTooLarge),
        Err(DecimalError::Malformed) => Err(CellProblem::Malformed),
    }
}

/// The fast path of [`parse_cell`]: `[-+]digits[.digits][e[-+]digits]` with
/// at most 18 significant digits and a small exponent, computed in `i64`.
/// `None` sends the cell to [`Q::parse_decimal`], which decides everything
/// else (the two agree wherever both apply).
fn parse_short_decimal(cell: &[u8]) -> Option<Q> {
    let (negative, rest) = match cell.first()? {
        b'-' => (true, cell.get(1..)?),
        b'+' => (false, cell.get(1..)?),
        _ => (false, cell),
    };
    let mut mantissa: i64 = 0;
    let mut digits = 0u32;
    let mut fraction_digits: i64 = 0;
    let mut seen_point = false;
    let mut i = 0;
    while let Some(&b) = rest.get(i) {
        match b {
            b'0'..=b'9' => {
                if digits >= 18 {
                    return None;
                }
                mantissa = mantissa * 10 + i64::from(b - b'0');
                if mantissa > 0 {
                    digits += 1;
                }
                if seen_point {
                    fraction_digits += 1;
                }
            }
            b'.' if !seen_point => seen_point = true,
            b'e' | b'E' => break,
            _ => return None,
        }
        i += 1;
    }
    // At least one digit in the mantissa.
    let mantissa_len = i - usize::from(seen_point);
    if mantissa_len == 0 {
        return None;
    }
    let mut exponent: i64 = 0;
    if i < rest.len() {
        let e = rest.get(i + 1..)?;
        let (eneg, edigits) = match e.first()? {
            b'-' => (true, e.get(1..)?),
            b'+' => (false, e.get(1..)?),
            _ => (false, e),
        };
        if edigits.is_empty() || edigits.len() > 3 || !edigits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        for &b in edigits {
            exponent = exponent * 10 + i64::from(b - b'0');
        }
        if eneg {
            exponent = -exponent;
        }
    }
    let signed = if negative { -mantissa } else { mantissa };
    let scale = exponent - fraction_digits;
    if scale >= 0 {
        let factor = 10i64.checked_pow(u32::try_from(scale).ok()?)?;
        Some(Q::from(signed.checked_mul(factor)?))
    } else {
        let factor = 10i64.checked_pow(u32::try_from(-scale).ok()?)?;
        Some(Q::new(signed, factor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_fast_path_agrees_with_parse_decimal() {
        for text in [
            "0",
            "-0",
            "+3",
            "1.25",
            ".5",
            "5.",
            "-.5",
            "1e-3",
            "1E3",
            "2.5e+2",
            "000123.4500",
            "123456789012345678",
            "0.000000000000000001",
            "1e18",
            "9e18",
            "1e19",
            "1.",
            "-",
            ".",
            "e3",
            "1e",
            "1e+",
            "1.2.3",
            "1,5",
            "--1",
        ] {
            let fast = parse_short_decimal(text.as_bytes());
            let slow = Q::parse_decimal(text).ok();
            if let Some(f) = &fast {
                assert_eq!(Some(f), slow.as_ref(), "{text}");
            }
        }
    }

    proptest! {
        #[test]
        fn fast_path_is_exact(m in -10_000_000i64..10_000_000, point in 0usize..9, e in -30i64..30, with_e: bool) {
            let digits = m.unsigned_abs().to_string();
            let cut = digits.len().saturating_sub(point);
            let mut text = format!("{}{}.{}", if m < 0 { "-" } else { "" }, &digits[..cut], &digits[cut..]);
            if with_e {
                text.push_str(&format!("e{e}"));
            }
            let fast = parse_short_decimal(text.as_bytes());
            let slow = Q::parse_decimal(&text).ok();
            prop_assert!(slow.is_some(), "{}", text);
            if let Some(f) = fast {
                prop_assert_eq!(Some(f), slow, "{}", text);
            }
        }
    }
}
