//! `Span`: a byte range into the user's text.

/// A half-open byte range `start..end` into the text that was parsed.
///
/// ```
/// let s = kobai::Span::new(2, 5);
/// assert_eq!(&"((w1*x1)"[s.start..s.end], "w1*");
/// assert_eq!(s.to(kobai::Span::new(6, 7)), kobai::Span::new(2, 7));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    ///
    /// ```
    /// assert_eq!(kobai::Span::new(1, 3).len(), 2);
    /// ```
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering `self` and `other`.
    ///
    /// ```
    /// use kobai::Span;
    /// assert_eq!(Span::new(4, 6).to(Span::new(0, 1)), Span::new(0, 6));
    /// ```
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// Length in bytes.
    ///
    /// ```
    /// assert!(kobai::Span::new(3, 3).is_empty());
    /// ```
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True for an empty span (a position between characters).
    ///
    /// ```
    /// assert!(!kobai::Span::new(0, 1).is_empty());
    /// ```
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}
