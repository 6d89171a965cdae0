//! `Limits`: bounds on every operation that could explode.

/// Bounds on work that could otherwise exhaust time, memory or the stack.
/// Every limit has a default and can be raised by the caller.
///
/// ```
/// let limits = kobai::Limits::default().with_max_terms(10);
/// assert_eq!(limits.max_terms, 10);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of brackets, operators and calls in the input.
    pub max_depth: usize,
    /// Largest exponent that `expand` will multiply out.
    pub max_exponent: u64,
    /// Most terms any one operation may produce.
    pub max_terms: usize,
    /// Largest exact number, in bits (numerator plus denominator).
    pub max_number_bits: u64,
    /// Largest input read as one formula or worksheet, in bytes (an
    /// argument, standard input or a file).
    pub max_input_bytes: u64,
    /// Longest CSV row, in bytes (a quoted cell may span lines).
    pub max_csv_row_bytes: usize,
    /// Longest CSV cell, in bytes.
    pub max_csv_cell_bytes: usize,
    /// Most columns in a CSV header.
    pub max_csv_columns: usize,
    /// Most steps of gradient descent (every step is kept for the table).
    pub max_iterations: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_depth: 500,
            max_exponent: 10_000,
            max_terms: 1_000_000,
            max_number_bits: 1_000_000,
            max_input_bytes: 16 * 1024 * 1024,
            max_csv_row_bytes: 1024 * 1024,
            max_csv_cell_bytes: 64 * 1024,
            max_csv_columns: 10_000,
            max_iterations: 100_000,
        }
    }
}

impl Limits {
    /// Sets [`Limits::max_depth`].
    ///
    /// ```
    /// assert_eq!(kobai::Limits::default().with_max_depth(9).max_depth, 9);
    /// ```
    pub fn with_max_depth(mut self, n: usize) -> Limits {
        self.max_depth = n;
        self
    }

    /// Sets [`Limits::max_exponent`].
    ///
    /// ```
    /// assert_eq!(kobai::Limits::default().with_max_exponent(9).max_exponent, 9);
    /// ```
    pub fn with_max_exponent(mut self, n: u64) -> Limits {
        self.max_exponent = n;
        self
    }

    /// Sets [`Limits::max_terms`].
    ///
    /// ```
    /// assert_eq!(kobai::Limits::default().with_max_terms(9).max_terms, 9);
    /// ```
    pub fn with_max_terms(mut self, n: usize) -> Limits {
        self.max_terms = n;
        self
    }

    /// Sets [`Limits::max_number_bits`].
    ///
    /// ```
    /// assert_eq!(kobai::Limits::default().with_max_number_bits(9).max_number_bits, 9);
    /// ```
    pub fn with_max_number_bits(mut self, n: u64) -> Limits {
        self.max_number_bits = n;
        self
    }

    /// Sets [`Limits::max_input_bytes`].
    ///
    /// ```
    /// assert_eq!(kobai::Limits::default().with_max_input_bytes(9).max_input_bytes, 9);
    /// ```
    pub fn with_max_input_bytes(mut self, n: u64) -> Limits {
        self.max_input_bytes = n;
        self
    }

    /// Sets [`Limits::max_csv_row_bytes`].
    ///
    /// ```
    /// assert_eq!(kobai::Limits::default().with_max_csv_row_bytes(9).max_csv_row_bytes, 9);
    /// ```
    pub fn with_max_csv_row_bytes(mut self, n: usize) -> Limits {
        self.max_csv_row_bytes = n;
        self
    }

    /// Sets [`Limits::max_csv_cell_bytes`].
    ///
    /// ```
    /// assert_eq!(kobai::Limits::default().with_max_csv_cell_bytes(9).max_csv_cell_bytes, 9);
    /// ```
    pub fn with_max_csv_cell_bytes(mut self, n: usize) -> Limits {
        self.max_csv_cell_bytes = n;
        self
    }

    /// Sets [`Limits::max_csv_columns`].
    ///
    /// ```
    /// assert_eq!(kobai::Limits::default().with_max_csv_columns(9).max_csv_columns, 9);
    /// ```
    pub fn with_max_csv_columns(mut self, n: usize) -> Limits {
        self.max_csv_columns = n;
        self
    }

    /// Sets [`Limits::max_iterations`].
    ///
    /// ```
    /// assert_eq!(kobai::Limits::default().with_max_iterations(9).max_iterations, 9);
    /// ```
    pub fn with_max_iterations(mut self, n: usize) -> Limits {
        self.max_iterations = n;
        self
    }
}
