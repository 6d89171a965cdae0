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
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_depth: 500, max_exponent: 10_000, max_terms: 1_000_000, max_number_bits: 1_000_000 }
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
}
