//! `Symbol`: an interned variable name.

use std::collections::HashSet;
use std::fmt;
use std::sync::{Mutex, OnceLock};

/// An interned name such as `w1`, `target`, `x_1` or `θ`.
///
/// Copying is free and equality is a pointer comparison; ordering is by the
/// name itself, so output is the same from run to run.
///
/// ```
/// use kobai::Symbol;
/// let a = Symbol::new("target");
/// assert_eq!(a, Symbol::new("target"));
/// assert!(Symbol::new("w1") < Symbol::new("x1"));
/// assert_eq!(a.name(), "target");
/// ```
#[derive(Clone, Copy)]
pub struct Symbol(&'static str);

fn table() -> &'static Mutex<HashSet<&'static str>> {
    static TABLE: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    TABLE.get_or_init(|| Mutex::new(HashSet::new()))
}

impl Symbol {
    /// Interns `name`. Each distinct name is stored once for the life of the
    /// process, so the memory held is bounded by the input that was read.
    ///
    /// ```
    /// assert_eq!(kobai::Symbol::new("x").name(), "x");
    /// ```
    pub fn new(name: &str) -> Symbol {
        let mut set = match table().lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(existing) = set.get(name) {
            return Symbol(existing);
        }
        let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
        set.insert(leaked);
        Symbol(leaked)
    }

    /// The name as written.
    ///
    /// ```
    /// assert_eq!(kobai::Symbol::new("θ").name(), "θ");
    /// ```
    pub fn name(self) -> &'static str {
        self.0
    }
}

impl PartialEq for Symbol {
    fn eq(&self, other: &Symbol) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Symbol {}

impl std::hash::Hash for Symbol {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.0.as_ptr() as usize).hash(state);
    }
}

impl PartialOrd for Symbol {
    fn partial_cmp(&self, other: &Symbol) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Symbol {
    fn cmp(&self, other: &Symbol) -> std::cmp::Ordering {
        if self == other { std::cmp::Ordering::Equal } else { self.0.cmp(other.0) }
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Debug for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}
