//! `Expr`: the canonical expression.
//!
//! Composite nodes are n-ary with coefficient maps, as in SymEngine: a sum is
//! a constant plus a map from term to coefficient, a product a coefficient
//! plus a map from base to exponent. The invariants (see
//! [`Expr::is_canonical`]) are established only by the smart constructors
//! [`Expr::sum`], [`Expr::product`], [`Expr::pow`] and [`Expr::call`], so
//! `x + x` is `2*x` by construction and structural equality is mathematical
//! equality for everything the constructors normalize.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::number::Q;
use crate::symbol::Symbol;

/// The functions an `Expr` can call. `sqrt` and `log(x, b)` exist only in
/// the surface syntax: they lower to powers and quotients of `ln`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Func {
    /// `exp(x)`, also written `e^x`.
    Exp,
    /// The natural logarithm `ln(x)`.
    Ln,
    /// `sin(x)`.
    Sin,
    /// `cos(x)`.
    Cos,
    /// `tan(x)`.
    Tan,
    /// `tanh(x)`.
    Tanh,
    /// The logistic function `sigmoid(x) = 1/(1 + exp(-x))`.
    Sigmoid,
    /// `abs(x)`.
    Abs,
    /// `sign(x)`: -1, 0 or 1; the derivative of `abs`.
    Sign,
}

impl Func {
    /// The name as printed and parsed.
    ///
    /// ```
    /// assert_eq!(kobai::Func::Sigmoid.name(), "sigmoid");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Func::Exp => "exp",
            Func::Ln => "ln",
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Tan => "tan",
            Func::Tanh => "tanh",
            Func::Sigmoid => "sigmoid",
            Func::Abs => "abs",
            Func::Sign => "sign",
        }
    }

    /// The function with this (lower-case) name, if it is one of `Func`.
    ///
    /// ```
    /// assert_eq!(kobai::Func::from_name("tanh"), Some(kobai::Func::Tanh));
    /// assert_eq!(kobai::Func::from_name("sqrt"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Func> {
        Some(match name {
            "exp" => Func::Exp,
            "ln" => Func::Ln,
            "sin" => Func::Sin,
            "cos" => Func::Cos,
            "tan" => Func::Tan,
            "tanh" => Func::Tanh,
            "sigmoid" => Func::Sigmoid,
            "abs" => Func::Abs,
            "sign" => Func::Sign,
            _ => return None,
        })
    }
}

/// A canonical expression: immutable, shared, cheap to clone and compare.
///
/// ```
/// use kobai::{Expr, read};
/// let x = Expr::symbol("x");
/// assert_eq!(Expr::add(&x, &x), read("2*x").unwrap());
/// assert_eq!(read("x*x^2").unwrap(), read("x^3").unwrap());
/// assert_eq!(read("x/x").unwrap(), Expr::one());
/// ```
#[derive(Clone)]
pub struct Expr(Arc<Inner>);

struct Inner {
    node: Node,
    hash: u64,
}

/// The node kinds of a canonical expression. Read them with
/// [`Expr::node`]; build them only through `Expr`'s constructors.
#[derive(Debug, PartialEq, Eq, Hash)]
pub enum Node {
    /// An exact rational.
    Num(Q),
    /// A variable.
    Sym(Symbol),
    /// `constant + Σ coeff·term`: terms sorted by [`term_order`], each term
    /// neither a number, a sum, nor a product with a coefficient other than 1;
    /// no coefficient is zero; at least one term, and not a lone term with
    /// coefficient 1 and constant 0.
    Sum {
        /// The constant term.
        constant: Q,
        /// The other terms with their coefficients.
        terms: Vec<(Expr, Q)>,
    },
    /// `coeff · Π base^exponent`: factors sorted by `Ord`, bases distinct
    /// (but see below), never a number with an exponent that folds to a
    /// rational (`2^(1/2)` stays);
    /// a numeric radical (a positive rational base under a non-integer
    /// exponent) is normalized from the exponents it gives the keys of its
    /// base: the primes below 1000, and the rough part trial division by them
    /// leaves (prime factors above 1000 only), reduced to no perfect power
    /// (`1018081` is `1009^2`); a numerator or denominator of more than 4096
    /// bits is a key of its own. Under each key the integer part of the
    /// exponent moves into the coefficient (`8^(1/2)` is `2·2^(1/2)`,
    /// `(1/2)^(1/2)` is `(1/2)·2^(1/2)`, `7951^(3/2)` is `7951·7951^(1/2)`);
    /// the fractional parts of the small primes merge into one `R^(1/D)`, `D`
    /// the least common multiple of their denominators (`7^(3/5)` is
    /// `343^(1/5)`, `49^(1/10)` is `7^(1/5)`, `2^(1/2)·3^(1/3)` is
    /// `72^(1/6)`), unless `R` or `D` would exceed 4096 (bits), in which case
    /// each prime is a factor of its own; any other key is a factor of its
    /// own, never merged (`2^(1/2)·1009^(1/2)` stays two factors, and
    /// `7951^(1/2)·7951^(1/2)` is 7951). A radical never merges into another
    /// power of the same base: `7^n·7^(1/5)` keeps both factors, ordered by
    /// exponent (the one case of a base found twice). All of this depends
    /// only on the exponents collected under each key, so a product of
    /// numeric radicals has one form whatever the grouping of its factors
    /// (as long as the powers moved into the coefficient stay below the
    /// 100,000 bits the constructors compute powers to);
    /// under an integer exponent never a product or a power (those are
    /// flattened) and never a sum that is not primitive (integer coefficients
    /// with no common factor, the first term positive (for a constant plus
    /// calls only, the constant): `-2*x - 2` as a factor is `-2·(x + 1)`), so each product has one representation; no exponent is zero; the coefficient is not zero; not a lone
    /// factor with coefficient 1.
    Product {
        /// The numeric coefficient.
        coeff: Q,
        /// `(base, exponent)` pairs.
        factors: Vec<(Expr, Expr)>,
    },
    /// `base^exponent` standing alone (a one-factor product with coefficient 1).
    Pow(Expr, Expr),
    /// A function applied to one argument.
    Call(Func, Expr),
}

/// The largest number of bits a numeric power is computed to by the
/// constructors; larger powers (`10^10^10`) stay unevaluated, and the
/// reader and `eval` refuse them. Computing up to the default
/// `--max-number-bits` instead would let one input spend seconds on
/// million-bit arithmetic.
pub const FOLD_POWER_BITS: u64 = 100_000;

/// A fast multiplicative hasher (the Fx hash of rustc), for the hashes an
/// `Expr` caches and for maps keyed by machine words. Its values are the same
/// on every run, like SipHash with fixed keys, at a fraction of the cost.
#[derive(Default)]
pub(crate) struct FxHasher(pub(crate) u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Little-endian words, the last one padded with zeros. Whole words
        // are read as such (a byte loop costs a `memcpy` call per word, and
        // big numbers hash their digits through here).
        let mut words = bytes.chunks_exact(8);
        for chunk in &mut words {
            if let Ok(word) = <[u8; 8]>::try_from(chunk) {
                self.write_u64(u64::from_le_bytes(word));
            }
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            for (w, b) in word.iter_mut().zip(rest) {
                *w = *b;
            }
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The shared small integers run from `-SMALL_INTEGERS_BELOW_ZERO` to
/// `SMALL_INTEGERS_ABOVE_ZERO`.
const SMALL_INTEGERS_BELOW_ZERO: i64 = 16;
const SMALL_INTEGERS_ABOVE_ZERO: i64 = 256;

fn small_integers() -> &'static [Expr] {
    static SMALL: std::sync::OnceLock<Vec<Expr>> = std::sync::OnceLock::new();
    SMALL.get_or_init(|| {
        (-SMALL_INTEGERS_BELOW_ZERO..=SMALL_INTEGERS_ABOVE_ZERO)
            .map(|n| Expr::from_node(Node::Num(Q::from(n))))
            .collect()
    })
}

impl Expr {
    fn from_node(node: Node) -> Expr {
        let mut h = FxHasher::default();
        node.hash(&mut h);
        let e = Expr(Arc::new(Inner { node, hash: h.finish() }));
        debug_assert!(e.is_canonical(), "not canonical: {e:?}");
        e
    }

    /// The node, to match on.
    ///
    /// ```
    /// use kobai::{Expr, Node};
    /// assert!(matches!(Expr::symbol("x").node(), Node::Sym(_)));
    /// ```
    pub fn node(&self) -> &Node {
        &self.0.node
    }

    /// A number.
    ///
    /// ```
    /// assert_eq!(kobai::Expr::num(kobai::Q::new(5, 2)).to_string(), "5/2");
    /// ```
    pub fn num(q: Q) -> Expr {
        // Small integers (exponents, 0, 1, -1) are made once and shared.
        if let Some((n, 1)) = q.small_parts()
            && let Ok(i) = usize::try_from(n.saturating_add(SMALL_INTEGERS_BELOW_ZERO))
            && let Some(e) = small_integers().get(i)
        {
            return e.clone();
        }
        Expr::from_node(Node::Num(q))
    }

    /// An integer.
    ///
    /// ```
    /// assert_eq!(kobai::Expr::int(-3).to_string(), "-3");
    /// ```
    pub fn int(n: i64) -> Expr {
        Expr::num(Q::from(n))
    }

    /// Zero.
    ///
    /// ```
    /// assert!(kobai::Expr::zero().is_zero());
    /// ```
    pub fn zero() -> Expr {
        Expr::int(0)
    }

    /// One.
    ///
    /// ```
    /// assert_eq!(kobai::Expr::one(), kobai::Expr::int(1));
    /// ```
    pub fn one() -> Expr {
        Expr::int(1)
    }

    /// A variable by name.
    ///
    /// ```
    /// assert_eq!(kobai::Expr::symbol("w1").to_string(), "w1");
    /// ```
    pub fn symbol(name: &str) -> Expr {
        Expr::sym(Symbol::new(name))
    }

    /// A variable.
    ///
    /// ```
    /// let s = kobai::Symbol::new("t");
    /// assert_eq!(kobai::Expr::sym(s).to_string(), "t");
    /// ```
    pub fn sym(s: Symbol) -> Expr {
        Expr::from_node(Node::Sym(s))
    }

    /// The number, if this is one.
    ///
    /// ```
    /// assert_eq!(kobai::Expr::int(4).as_num(), Some(&kobai::Q::from(4)));
    /// ```
    pub fn as_num(&self) -> Option<&Q> {
        match self.node() {
            Node::Num(q) => Some(q),
            _ => None,
        }
    }

    /// The symbol, if this is one.
    ///
    /// ```
    /// assert_eq!(kobai::Expr::symbol("x").as_sym(), Some(kobai::Symbol::new("x")));
    /// ```
    pub fn as_sym(&self) -> Option<Symbol> {
        match self.node() {
            Node::Sym(s) => Some(*s),
            _ => None,
        }
    }

    /// True for the number 0.
    ///
    /// ```
    /// assert!(kobai::read("x - x").unwrap().is_zero());
    /// ```
    pub fn is_zero(&self) -> bool {
        self.as_num().is_some_and(Q::is_zero)
    }

    /// True for the number 1.
    ///
    /// ```
    /// assert!(kobai::read("x/x").unwrap().is_one());
    /// ```
    pub fn is_one(&self) -> bool {
        self.as_num().is_some_and(Q::is_one)
    }

    /// `a + b`.
    ///
    /// ```
    /// use kobai::{Expr, read};
    /// assert_eq!(Expr::add(&read("x").unwrap(), &Expr::int(1)).to_string(), "x + 1");
    /// ```
    pub fn add(a: &Expr, b: &Expr) -> Expr {
        Expr::sum([a.clone(), b.clone()])
    }

    /// `a - b`.
    ///
    /// ```
    /// use kobai::{Expr, read};
    /// let x = read("x").unwrap();
    /// assert!(Expr::sub(&x, &x).is_zero());
    /// ```
    pub fn sub(a: &Expr, b: &Expr) -> Expr {
        match b.as_num() {
            // `a - q`, as in the power rule's `p - 1`: no product to build for `-q`.
            Some(q) => Expr::weighted_sum(q.neg(), [(a.clone(), Q::one())]),
            None => Expr::sum([a.clone(), Expr::neg(b)]),
        }
    }

    /// `-a`.
    ///
    /// ```
    /// assert_eq!(kobai::Expr::neg(&kobai::read("x - 1").unwrap()).to_string(), "1 - x");
    /// ```
    pub fn neg(a: &Expr) -> Expr {
        Expr::scale(a, &Q::from(-1))
    }

    /// `q·a`.
    ///
    /// ```
    /// use kobai::{Expr, Q, read};
    /// assert_eq!(Expr::scale(&read("x + 1").unwrap(), &Q::from(2)).to_string(), "2*x + 2");
    /// ```
    pub fn scale(a: &Expr, q: &Q) -> Expr {
        Expr::product([Expr::num(q.clone()), a.clone()])
    }

    /// `a · b`.
    ///
    /// ```
    /// use kobai::{Expr, read};
    /// let x = read("x").unwrap();
    /// assert_eq!(Expr::mul(&x, &x).to_string(), "x^2");
    /// ```
    pub fn mul(a: &Expr, b: &Expr) -> Expr {
        Expr::product([a.clone(), b.clone()])
    }

    /// `a / b`, as `a · b^-1` (no check that `b` is not zero: a numeric zero
    /// denominator stays an unevaluated `0^-1`, which evaluation refuses).
    ///
    /// ```
    /// use kobai::{Expr, read};
    /// assert_eq!(Expr::div(&read("x").unwrap(), &Expr::int(2)).to_string(), "x/2");
    /// ```
    pub fn div(a: &Expr, b: &Expr) -> Expr {
        Expr::product([a.clone(), Expr::pow(b, &Expr::int(-1))])
    }

    /// The canonical sum of `items`.
    ///
    /// ```
    /// use kobai::{Expr, read};
    /// let s = Expr::sum([read("x").unwrap(), read("2*x").unwrap(), Expr::int(3)]);
    /// assert_eq!(s.to_string(), "3*x + 3");
    /// ```
    pub fn sum<I: IntoIterator<Item = Expr>>(items: I) -> Expr {
        let mut acc = SumBuilder::default();
        for item in items {
            acc.add_scaled(&item, &Q::one());
        }
        acc.build()
    }

    /// The canonical sum `constant + Σ coeff·term` from a list of weighted
    /// terms (terms may be any expressions; they are normalized).
    ///
    /// ```
    /// use kobai::{Expr, Q, read};
    /// let s = Expr::weighted_sum(Q::from(25), [(read("w1").unwrap(), Q::from(-20))]);
    /// assert_eq!(s.to_string(), "25 - 20*w1");
    /// ```
    pub fn weighted_sum<I: IntoIterator<Item = (Expr, Q)>>(constant: Q, items: I) -> Expr {
        let mut acc = SumBuilder { constant, ..SumBuilder::default() };
        for (item, q) in items {
            acc.add_scaled(&item, &q);
        }
        acc.build()
    }

    /// The canonical product of `items`.
    ///
    /// ```
    /// use kobai::{Expr, read};
    /// let p = Expr::product([Expr::int(2), read("x").unwrap(), Expr::int(3)]);
    /// assert_eq!(p.to_string(), "6*x");
    /// ```
    pub fn product<I: IntoIterator<Item = Expr>>(items: I) -> Expr {
        let mut acc = ProductBuilder::new();
        for item in items {
            acc.push(&item, &Expr::one());
        }
        acc.build()
    }

    /// The canonical power `base^exp`.
    ///
    /// ```
    /// use kobai::{Expr, read};
    /// assert_eq!(Expr::pow(&Expr::int(2), &Expr::int(10)), Expr::int(1024));
    /// assert_eq!(Expr::pow(&read("x^2").unwrap(), &Expr::int(3)).to_string(), "x^6");
    /// assert_eq!(Expr::pow(&read("2*x").unwrap(), &Expr::int(2)).to_string(), "4*x^2");
    /// ```
    pub fn pow(base: &Expr, exp: &Expr) -> Expr {
        if exp.is_zero() {
            if base.is_zero() {
                // 0^0 is left unevaluated; evaluation reports it as undefined.
                return Expr::from_node(Node::Pow(base.clone(), exp.clone()));
            }
            return Expr::one();
        }
        if exp.is_one() {
            return base.clone();
        }
        if base.is_one() {
            return Expr::one();
        }
        if let (Some(b), Some(e)) = (base.as_num(), exp.as_num()) {
            if let Some(q) = numeric_power(b, e) {
                return Expr::num(q);
            }
            if is_radical(b, e) {
                // A numeric radical has the normal form of a product's.
                let mut acc = ProductBuilder::new();
                acc.push_factor(base.clone(), exp.clone());
                return acc.build();
            }
            return Expr::from_node(Node::Pow(base.clone(), exp.clone()));
        }
        if base.is_zero() {
            if exp.as_num().is_some_and(|e| !e.is_negative()) {
                return Expr::zero();
            }
            return Expr::from_node(Node::Pow(base.clone(), exp.clone()));
        }
        let exp_is_integer = exp.as_num().is_some_and(Q::is_integer);
        match base.node() {
            // (b^e)^k = b^(e·k) holds for integer k; (x^2)^(1/2) is |x|, not x.
            Node::Pow(b, e) if exp_is_integer => Expr::pow(b, &Expr::mul(e, exp)),
            Node::Sum { .. } if sum_content(base, exp).is_some() => {
                let mut acc = ProductBuilder::new();
                acc.push(base, exp);
                acc.build()
            }
            Node::Product { .. } if exp_is_integer => {
                let mut acc = ProductBuilder::new();
                acc.push(base, exp);
                acc.build()
            }
            // exp(a)^y = exp(a·y) for every real a and y.
            Node::Call(Func::Exp, a) => Expr::call(Func::Exp, &Expr::mul(a, exp)),
            _ => Expr::from_node(Node::Pow(base.clone(), exp.clone())),
        }
    }

    /// The canonical call `f(arg)`, with exact values folded (`exp(0)` is 1,
    /// `ln(exp(x))` is `x`, `sigmoid(0)` is 1/2, `abs(-3)` is 3).
    ///
    /// ```
    /// use kobai::{Expr, Func, read};
    /// assert_eq!(Expr::call(Func::Exp, &Expr::zero()), Expr::one());
    /// assert_eq!(Expr::call(Func::Ln, &read("exp(x)").unwrap()).to_string(), "x");
    /// ```
    pub fn call(f: Func, arg: &Expr) -> Expr {
        if let Some(q) = arg.as_num() {
            let folded = match f {
                Func::Exp | Func::Cos if q.is_zero() => Some(Q::one()),
                Func::Ln if q.is_one() => Some(Q::zero()),
                Func::Sin | Func::Tan | Func::Tanh if q.is_zero() => Some(Q::zero()),
                Func::Sigmoid if q.is_zero() => Some(Q::new(1, 2)),
                Func::Abs => Some(q.abs()),
                Func::Sign => Some(Q::from(i64::from(q.signum()))),
                _ => None,
            };
            if let Some(v) = folded {
                return Expr::num(v);
            }
        }
        match (f, arg.node()) {
            (Func::Ln, Node::Call(Func::Exp, inner)) => return inner.clone(),
            (Func::Exp, Node::Call(Func::Ln, inner)) => return inner.clone(),
            (Func::Abs, Node::Call(Func::Abs, _)) => return arg.clone(),
            _ => {}
        }
        Expr::from_node(Node::Call(f, arg.clone()))
    }

    /// Checks the invariants of the node (not of its children), the
    /// specification the constructors implement: for a product, among
    /// them, that its numeric radicals are in the normal form of
    /// [`Node::Product`] (`2*2^(1/2)`, not `8^(1/2)`; `343^(1/5)`, not
    /// `7^(3/5)`; `72^(1/6)`, not `2^(1/2)*3^(1/3)`), computed again from the
    /// exponents they give their keys.
    ///
    /// ```
    /// assert!(kobai::read("2*x^2 + x*y - 1").unwrap().is_canonical());
    /// ```
    // The conditions read as the list of invariants in the `Node` docs.
    #[allow(clippy::nonminimal_bool)]
    pub fn is_canonical(&self) -> bool {
        match self.node() {
            Node::Num(_) | Node::Sym(_) => true,
            Node::Sum { constant, terms } => {
                !terms.is_empty()
                    && !(terms.len() == 1 && constant.is_zero() && terms.first().is_some_and(|(_, c)| c.is_one()))
                    && terms.iter().all(|(t, c)| {
                        !c.is_zero()
                            && match t.node() {
                                Node::Num(_) | Node::Sum { .. } => false,
                                Node::Product { coeff, .. } => coeff.is_one(),
                                _ => true,
                            }
                    })
                    && terms.windows(2).all(|w| match w {
                        [(a, _), (b, _)] => term_order(a, b) == Ordering::Less,
                        _ => true,
                    })
            }
            Node::Product { coeff, factors } => {
                !coeff.is_zero()
                    && !factors.is_empty()
                    && !(factors.len() == 1 && coeff.is_one())
                    && factors.iter().all(|(b, e)| {
                        let integer = e.as_num().is_some_and(Q::is_integer);
                        !e.is_zero()
                            && !(integer && matches!(b.node(), Node::Product { .. } | Node::Pow(..)))
                            && sum_content(b, e).is_none()
                            && !matches!((b.as_num(), e.as_num()), (Some(x), Some(y)) if numeric_power(x, y).is_some())
                    })
                    && factors.windows(2).all(|w| match w {
                        // A numeric base may carry a radical and another power.
                        [(a, x), (b, y)] => {
                            a < b
                                || (a == b
                                    && a.as_num().is_some_and(|q| !q.is_negative() && !q.is_zero())
                                    && x < y
                                    && [x, y].iter().filter(|e| e.as_num().is_some_and(|q| !q.is_integer())).count()
                                        == 1)
                        }
                        _ => true,
                    })
                    && radicals_are_normal(factors)
            }
            Node::Pow(b, e) => {
                !e.is_one()
                    && !b.is_one()
                    && (!e.is_zero() || b.is_zero())
                    && match (b.as_num(), e.as_num()) {
                        (Some(x), Some(y)) if is_radical(x, y) => radicals_are_normal(&[(b.clone(), e.clone())]),
                        _ => true,
                    }
            }
            Node::Call(..) => true,
        }
    }

    /// True when `x` occurs in the expression.
    ///
    /// ```
    /// let e = kobai::read("w*x + exp(t)").unwrap();
    /// assert!(e.contains(kobai::Symbol::new("t")));
    /// assert!(!e.contains(kobai::Symbol::new("y")));
    /// ```
    pub fn contains(&self, x: Symbol) -> bool {
        match self.node() {
            Node::Num(_) => false,
            Node::Sym(s) => *s == x,
            Node::Sum { terms, .. } => terms.iter().any(|(t, _)| t.contains(x)),
            Node::Product { factors, .. } => factors.iter().any(|(b, e)| b.contains(x) || e.contains(x)),
            Node::Pow(b, e) => b.contains(x) || e.contains(x),
            Node::Call(_, a) => a.contains(x),
        }
    }

    /// The variables that occur, sorted by name.
    ///
    /// ```
    /// let e = kobai::read("(w1*x1 - target)^2").unwrap();
    /// let names: Vec<_> = e.symbols().iter().map(|s| s.name()).collect();
    /// assert_eq!(names, ["target", "w1", "x1"]);
    /// ```
    pub fn symbols(&self) -> Vec<Symbol> {
        let mut out = std::collections::BTreeSet::new();
        self.collect_symbols(&mut out);
        out.into_iter().collect()
    }

    fn collect_symbols(&self, out: &mut std::collections::BTreeSet<Symbol>) {
        match self.node() {
            Node::Num(_) => {}
            Node::Sym(s) => {
                out.insert(*s);
            }
            Node::Sum { terms, .. } => terms.iter().for_each(|(t, _)| t.collect_symbols(out)),
            Node::Product { factors, .. } => factors.iter().for_each(|(b, e)| {
                b.collect_symbols(out);
                e.collect_symbols(out);
            }),
            Node::Pow(b, e) => {
                b.collect_symbols(out);
                e.collect_symbols(out);
            }
            Node::Call(_, a) => a.collect_symbols(out),
        }
    }

    /// The size in bits of the largest number in the expression (numerator
    /// plus denominator, see [`Q::bits`]), exponents included.
    /// An estimate of the size in bits of the largest power of a number,
    /// other than a radical, in `self` (`5^3221125`: about 9.7 million); 0 when there is
    /// none. Those above [`FOLD_POWER_BITS`] were too large to compute.
    pub(crate) fn largest_unevaluated_power_bits(&self) -> u64 {
        match self.node() {
            Node::Num(_) | Node::Sym(_) => 0,
            Node::Sum { terms, .. } => terms.iter().map(|(t, _)| t.largest_unevaluated_power_bits()).max().unwrap_or(0),
            Node::Product { factors, .. } => factors
                .iter()
                .map(|(b, x)| {
                    power_bits(b, x).max(b.largest_unevaluated_power_bits()).max(x.largest_unevaluated_power_bits())
                })
                .max()
                .unwrap_or(0),
            Node::Pow(b, x) => {
                power_bits(b, x).max(b.largest_unevaluated_power_bits()).max(x.largest_unevaluated_power_bits())
            }
            Node::Call(_, a) => a.largest_unevaluated_power_bits(),
        }
    }

    pub(crate) fn largest_number_bits(&self) -> u64 {
        match self.node() {
            Node::Num(q) => q.bits(),
            Node::Sym(_) => 0,
            Node::Sum { constant, terms } => {
                terms.iter().map(|(t, c)| t.largest_number_bits().max(c.bits())).fold(constant.bits(), u64::max)
            }
            Node::Product { coeff, factors } => factors
                .iter()
                .map(|(b, x)| power_bits(b, x).max(b.largest_number_bits()).max(x.largest_number_bits()))
                .fold(coeff.bits(), u64::max),
            Node::Pow(b, x) => power_bits(b, x).max(b.largest_number_bits()).max(x.largest_number_bits()),
            Node::Call(_, a) => a.largest_number_bits(),
        }
    }

    /// True for a polynomial in its variables: numbers and variables combined
    /// by sums, products and non-negative integer powers.
    ///
    /// ```
    /// assert!(kobai::read("(x + 1)^3*y/2").unwrap().is_polynomial());
    /// assert!(!kobai::read("1/x").unwrap().is_polynomial());
    /// assert!(!kobai::read("exp(x)").unwrap().is_polynomial());
    /// ```
    pub fn is_polynomial(&self) -> bool {
        let natural = |e: &Expr| e.as_num().is_some_and(|q| q.is_integer() && !q.is_negative());
        match self.node() {
            Node::Num(_) | Node::Sym(_) => true,
            Node::Sum { terms, .. } => terms.iter().all(|(t, _)| t.is_polynomial()),
            Node::Product { factors, .. } => factors.iter().all(|(b, e)| natural(e) && b.is_polynomial()),
            Node::Pow(b, e) => natural(e) && b.is_polynomial(),
            Node::Call(..) => false,
        }
    }

    /// Splits off the numeric coefficient: `6*x*y` is `(6, x*y)`, `x + 1` is
    /// `(1, x + 1)`, `5` is `(5, 1)`.
    ///
    /// ```
    /// use kobai::{Q, read};
    /// let (c, t) = read("-6*x*y").unwrap().split_coeff();
    /// assert_eq!((c, t.to_string()), (Q::from(-6), "x*y".to_string()));
    /// ```
    pub fn split_coeff(&self) -> (Q, Expr) {
        match self.node() {
            Node::Num(q) => (q.clone(), Expr::one()),
            Node::Product { coeff, factors } if !coeff.is_one() => {
                (coeff.clone(), Expr::monic_product(factors.clone()))
            }
            _ => (Q::one(), self.clone()),
        }
    }

    /// The sum `constant + Σ coeff·term` of terms that are already canonical
    /// sum terms, distinct, with nonzero coefficients and in [`term_order`]:
    /// what [`Expr::weighted_sum`] would build, without sorting or merging.
    pub(crate) fn sorted_sum(constant: Q, mut terms: Vec<(Expr, Q)>) -> Expr {
        match terms.len() {
            0 => Expr::num(constant),
            1 if constant.is_zero() => match terms.pop() {
                Some((t, c)) if c.is_one() => t,
                Some((t, c)) => Expr::product([Expr::num(c), t]),
                None => Expr::num(constant),
            },
            _ => Expr::from_node(Node::Sum { constant, terms }),
        }
    }

    /// `coeff · Π factors` where `factors` come from a canonical product and
    /// only the exponent of factor `at` changed, to the number `exp` (zero
    /// removes the factor), as the coefficient and the monic product: the
    /// product rule's term for a factor whose derivative is a number, ready
    /// for [`Expr::weighted_sum`]. `None` when the result needs the general
    /// constructor (one factor or none left, or a sum whose content the new
    /// power would move into the coefficient).
    pub(crate) fn product_with_exponent(coeff: Q, factors: &[(Expr, Expr)], at: usize, exp: &Q) -> Option<(Q, Expr)> {
        let (base, old) = factors.get(at)?;
        // A numeric radical's new exponent may merge it with the others.
        if base.as_num().is_some() {
            return None;
        }
        let remaining = if exp.is_zero() { factors.len() - 1 } else { factors.len() };
        if remaining < 2 || coeff.is_zero() {
            return None;
        }
        let new_exp = Expr::num(exp.clone());
        // The invariants that depend on the exponent: flattening under an
        // integer power, and the content of a sum.
        if !exp.is_zero() {
            let was_integer = old.as_num().is_some_and(Q::is_integer);
            if exp.is_integer() != was_integer || sum_content(base, &new_exp).is_some() {
                return None;
            }
        }
        let (before, from) = factors.split_at_checked(at)?;
        let mut out = Vec::with_capacity(remaining);
        out.extend_from_slice(before);
        if !exp.is_zero() {
            out.push((base.clone(), new_exp));
        }
        out.extend_from_slice(from.get(1..).unwrap_or_default());
        Some((coeff, Expr::from_node(Node::Product { coeff: Q::one(), factors: out })))
    }

    /// The product-rule term `coeff · Π pieces · Π_{j ≠ skip} factors_j`,
    /// where `factors` are the factors of a canonical product: they are
    /// multiplied in as they stand, without rebuilding each power.
    pub(crate) fn product_rule_term(coeff: &Q, pieces: &[Expr], factors: &[(Expr, Expr)], skip: usize) -> Expr {
        let mut acc = ProductBuilder::new();
        acc.coeff = coeff.clone();
        for p in pieces {
            acc.push(p, &Expr::one());
        }
        for (j, (b, e)) in factors.iter().enumerate() {
            if j != skip {
                acc.push_factor(b.clone(), e.clone());
            }
        }
        acc.build()
    }

    /// The sum `constant + Σ coeff·term` of terms that are canonical sum
    /// terms (not numbers or sums, products with coefficient 1), in any order
    /// and possibly repeated: what [`Expr::weighted_sum`] would build, by one
    /// sort and a merge of neighbours instead of a hash map. Runs of terms
    /// that are already in order (such as the derivatives of one factor
    /// across the terms of a sum) make the sort cheap.
    pub(crate) fn collected_sum(constant: Q, mut terms: Vec<(Expr, Q)>) -> Expr {
        debug_assert!(terms.iter().all(|(t, _)| match t.node() {
            Node::Num(_) | Node::Sum { .. } => false,
            Node::Product { coeff, .. } => coeff.is_one(),
            _ => true,
        }));
        // The order is total and ties only equal terms, so equal terms end
        // up next to each other.
        sort_terms_in_runs(&mut terms, true);
        terms.dedup_by(|next, kept| {
            if next.0 == kept.0 {
                kept.1 = kept.1.add(&next.1);
                true
            } else {
                false
            }
        });
        terms.retain(|(_, c)| !c.is_zero());
        finish_sum(constant, terms)
    }

    /// The product-rule term `coeff · Π dfactors · Π_{j ≠ skip} factors_j`,
    /// as its coefficient and monic product, where `dfactors` are the factors
    /// of a canonical product (the derivative of factor `skip`, with its
    /// coefficient already in `coeff`) and `factors` those of another: the
    /// two sorted lists are merged, without a [`ProductBuilder`]. Exponents
    /// of a variable found in both are added (through `sums`, a memo of such
    /// additions). `None` when the general constructor is needed: a shared
    /// base that is not a variable, exponents that cancel, an `exp` factor
    /// or a numeric radical in both, or fewer than two factors left.
    pub(crate) fn merged_product_term(
        coeff: Q,
        dfactors: &[(Expr, Expr)],
        factors: &[(Expr, Expr)],
        skip: usize,
        sums: &mut ExprPairMemo,
    ) -> Option<(Q, Expr)> {
        let is_exp = |b: &Expr| matches!(b.node(), Node::Call(Func::Exp, _));
        let is_number = |b: &Expr| b.as_num().is_some();
        let in_both = |p: &dyn Fn(&Expr) -> bool| {
            dfactors.iter().any(|(b, _)| p(b)) && factors.iter().enumerate().any(|(j, (b, _))| j != skip && p(b))
        };
        // Numeric radicals in both merge into one.
        if coeff.is_zero() || in_both(&is_exp) || in_both(&is_number) {
            return None;
        }
        let mut out: Vec<(Expr, Expr)> = Vec::with_capacity(dfactors.len() + factors.len());
        let mut rest = factors.iter().enumerate().filter(|(j, _)| *j != skip).map(|(_, f)| f).peekable();
        let mut ds = dfactors.iter().peekable();
        loop {
            let next = match (ds.peek(), rest.peek()) {
                (Some(a), Some(b)) => match a.0.cmp(&b.0) {
                    Ordering::Less => ds.next().cloned(),
                    Ordering::Greater => rest.next().cloned(),
                    Ordering::Equal => {
                        if !matches!(a.0.node(), Node::Sym(_)) {
                            return None;
                        }
                        let e = sums.add(&a.1, &b.1);
                        if e.is_zero() {
                            return None;
                        }
                        let base = a.0.clone();
                        ds.next();
                        rest.next();
                        Some((base, e))
                    }
                },
                (Some(_), None) => ds.next().cloned(),
                (None, Some(_)) => rest.next().cloned(),
                (None, None) => break,
            };
            if let Some(f) = next {
                out.push(f);
            }
        }
        if out.len() < 2 {
            return None;
        }
        Some((coeff, Expr::from_node(Node::Product { coeff: Q::one(), factors: out })))
    }

    /// The monomial `Π base^exponent` with coefficient 1, from factors that
    /// already satisfy the product invariants (sorted, distinct, nonzero
    /// exponents, bases that are variables).
    pub(crate) fn sorted_monomial(factors: Vec<(Expr, Expr)>) -> Expr {
        Expr::monic_product(factors)
    }

    /// A product with coefficient 1 from factors that already satisfy the
    /// product invariants (sorted, distinct, non-zero exponents).
    fn monic_product(mut factors: Vec<(Expr, Expr)>) -> Expr {
        if factors.len() == 1
            && let Some((b, e)) = factors.pop()
        {
            // A product's numeric factor is already in normal form (and
            // Expr::pow of a numeric radical builds a product).
            if b.as_num().is_some() && e.as_num().is_some() {
                return Expr::from_node(Node::Pow(b, e));
            }
            return Expr::pow(&b, &e);
        }
        Expr::from_node(Node::Product { coeff: Q::one(), factors })
    }

    /// The expression as `(base, exponent)` for use as a product factor.
    fn as_factor(&self) -> (Expr, Expr) {
        match self.node() {
            Node::Pow(b, e) => (b.clone(), e.clone()),
            _ => (self.clone(), Expr::one()),
        }
    }

    /// For a sum, its content and primitive part: `-4*x - 2` is
    /// `(-2, 2*x + 1)`, `x/2 + 1/3` is `(1/6, 3*x + 2)`; the primitive part has
    /// integer coefficients without a common factor and a positive first term
    /// (a constant plus calls only: a positive constant, `1 - sigmoid(x)`).
    /// Anything else is `(1, self)`.
    ///
    /// ```
    /// use kobai::{Q, read};
    /// let (c, p) = read("-4*x - 2").unwrap().primitive_parts();
    /// assert_eq!((c, p.to_string()), (Q::from(-2), "2*x + 1".to_string()));
    /// ```
    pub fn primitive_parts(&self) -> (Q, Expr) {
        let Node::Sum { constant, terms } = self.node() else {
            return (Q::one(), self.clone());
        };
        let coeffs = terms.iter().map(|(_, c)| c).chain(std::iter::once(constant).filter(|c| !c.is_zero()));
        // In machine words while the coefficients are small and the
        // denominators integers (a content of 1 is then found early).
        let small = || -> Option<Q> {
            let mut g: u64 = 0;
            for c in coeffs.clone() {
                let (n, d) = c.small_parts()?;
                if d != 1 {
                    return None;
                }
                if g != 1 {
                    g = num_integer::Integer::gcd(&g, &n.unsigned_abs());
                }
            }
            Some(Q::from(i64::try_from(g).ok()?))
        };
        let mut num_gcd = num_bigint::BigInt::from(0);
        let mut den_lcm = num_bigint::BigInt::from(1);
        match small() {
            Some(g) => num_gcd = g.numer(),
            None => {
                for c in coeffs {
                    num_gcd = num_integer::Integer::gcd(&num_gcd, &c.numer());
                    den_lcm = num_integer::Integer::lcm(&den_lcm, &c.denom());
                }
            }
        }
        // The sign is that of the first term (`2*w1 - 5` stays), except that
        // a sum of a constant and function calls takes the constant's sign, so
        // that the textbook `1 - sigmoid(x)` stays as written.
        let negative = match terms.first() {
            Some((t, c)) if constant.is_zero() || !degree(t).is_zero() => c.is_negative(),
            _ => constant.is_negative(),
        };
        let content = Q::from(num_gcd).div(&Q::from(den_lcm)).unwrap_or_else(Q::one);
        let content = if negative { content.neg() } else { content };
        if content.is_one() {
            return (Q::one(), self.clone());
        }
        let Some(inverse) = content.recip() else {
            return (Q::one(), self.clone());
        };
        let scaled: Vec<(Expr, Q)> = terms.iter().map(|(t, c)| (t.clone(), c.mul(&inverse))).collect();
        let primitive = Expr::from_node(Node::Sum { constant: constant.mul(&inverse), terms: scaled });
        (content, primitive)
    }

    /// The nesting depth of the tree (a number or variable has depth 1).
    ///
    /// ```
    /// assert_eq!(kobai::read("x").unwrap().depth(), 1);
    /// assert_eq!(kobai::read("sin(x)").unwrap().depth(), 2);
    /// ```
    pub fn depth(&self) -> usize {
        1 + match self.node() {
            Node::Num(_) | Node::Sym(_) => 0,
            Node::Sum { terms, .. } => terms.iter().map(|(t, _)| t.depth()).max().unwrap_or(0),
            Node::Product { factors, .. } => factors.iter().map(|(b, e)| b.depth().max(e.depth())).max().unwrap_or(0),
            Node::Pow(b, e) => b.depth().max(e.depth()),
            Node::Call(_, a) => a.depth(),
        }
    }
}

/// For a sum `s` under an integer exponent `k` whose content `c` is not 1:
/// `(c^k, primitive part)`, when `c^k` is small enough to compute (`c` and
/// `1/c` always are, whatever their size: the sum holds them already, and
/// a limit on them would make `3*(s*y)` and `(3*s)*y` two forms).
fn sum_content(s: &Expr, k: &Expr) -> Option<(Q, Expr)> {
    if !matches!(s.node(), Node::Sum { .. }) {
        return None;
    }
    let k = k.as_num().and_then(Q::to_i64)?;
    let (content, primitive) = s.primitive_parts();
    if content.is_one() || (k.unsigned_abs() != 1 && content.pow_would_exceed(k, FOLD_POWER_BITS)) {
        return None;
    }
    Some((content.pow(k)?, primitive))
}

/// The largest radicand, in bits, that numeric radicals are normalized for
/// (and the largest root): a base with a larger numerator or denominator is
/// kept whole, and a merged radical larger than this is left as one factor
/// per prime.
const RADICAL_BITS: u64 = 4096;

/// The trial-division bound: primes below it are the "small" primes whose
/// exponents a product collects one by one.
const SMALL_PRIME_BOUND: u32 = 1000;

/// The primes below [`SMALL_PRIME_BOUND`].
fn small_primes() -> &'static [u32] {
    static PRIMES: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    PRIMES.get_or_init(|| {
        let mut primes: Vec<u32> = Vec::new();
        for n in 2..SMALL_PRIME_BOUND {
            if primes.iter().take_while(|&&p| p * p <= n).all(|&p| n % p != 0) {
                primes.push(n);
            }
        }
        primes
    })
}

/// True for a numeric radical: a positive base under a non-integer exponent.
fn is_radical(b: &Q, e: &Q) -> bool {
    !b.is_negative() && !b.is_zero() && !e.is_integer()
}

/// The keys a product collects the exponents of numeric radicals under:
/// `b = Π key^m`, each key a prime below 1000, a positive integer whose
/// prime factors are all above 1000 and that is no perfect power (a "rough"
/// key, never merged with another), or, for a base whose numerator or
/// denominator has more than [`RADICAL_BITS`] bits, the base itself. The
/// keys depend on `b` alone, so the exponents a product collects under them
/// do not depend on how it was grouped.
fn radical_keys(b: &Q) -> Vec<(Q, i64)> {
    let (n, d) = (b.numer(), b.denom());
    if n.bits() > RADICAL_BITS || d.bits() > RADICAL_BITS {
        return vec![(b.clone(), 1)];
    }
    let mut out = Vec::new();
    integer_keys(n, 1, &mut out);
    integer_keys(d, -1, &mut out);
    out
}

/// The keys of a positive integer `n` (see [`radical_keys`]), their
/// multiplicities times `sign`, appended to `out`.
fn integer_keys(n: num_bigint::BigInt, sign: i64, out: &mut Vec<(Q, i64)>) {
    use num_bigint::BigInt;
    use num_traits::{One, ToPrimitive, Zero};
    let mut rest = n;
    if let Some(mut small) = rest.to_u64() {
        for &p in small_primes() {
            let p = u64::from(p);
            if p.saturating_mul(p) > small {
                break;
            }
            let mut m = 0i64;
            while small % p == 0 {
                small /= p;
                m += 1;
            }
            if m > 0 {
                out.push((Q::from(BigInt::from(p)), sign * m));
            }
        }
        rest = BigInt::from(small);
    } else {
        for &p in small_primes() {
            let big_p = BigInt::from(p);
            if &big_p * &big_p > rest {
                break;
            }
            let mut m = 0i64;
            while (&rest % p).is_zero() {
                rest /= p;
                m += 1;
            }
            if m > 0 {
                out.push((Q::from(big_p), sign * m));
            }
        }
    }
    if rest.is_one() || rest.is_zero() {
        return;
    }
    // `rest` is a prime below the bound, or has only prime factors above it.
    let mut k: i64 = 1;
    if rest >= BigInt::from(SMALL_PRIME_BOUND) {
        for &p in small_primes() {
            // Every prime factor is at least 1009 > 2^9, so a p-th power has
            // more than 9·p bits.
            if u64::from(p).saturating_mul(9) >= rest.bits() {
                break;
            }
            loop {
                let root = rest.nth_root(p);
                if num_traits::pow(root.clone(), p as usize) != rest {
                    break;
                }
                rest = root;
                k *= i64::from(p);
            }
        }
    }
    out.push((Q::from(rest), sign * k));
}

/// `(k, f)` with `v = k + f`, `k` an integer and `0 <= f < 1`; `k` is `None`
/// when it does not fit in an `i64`.
fn split_exponent(v: &Q) -> (Option<i64>, Q) {
    let k = num_integer::Integer::div_floor(&v.numer(), &v.denom());
    let f = v.sub(&Q::from(k.clone()));
    (num_traits::ToPrimitive::to_i64(&k), f)
}

/// The normal form of a product's numeric radicals, given as the exponent
/// `v` collected under each key of [`radical_keys`]: `(coefficient,
/// factors)`. The integer part of `v` moves into the coefficient (unless
/// that power is too large to compute, in which case `key^v` stays whole,
/// or a rational power of a base kept whole folds); the fractional parts of
/// the small primes merge into one `R^(1/D)`, `D` the least common multiple
/// of their denominators, unless `R` or `D` would exceed [`RADICAL_BITS`],
/// in which case each small prime stays a factor of its own; any other key
/// keeps its fractional part `key^f` as a factor of its own (folded when a
/// base kept whole is a perfect power). All of this depends only on the
/// collected exponents, never on the order the factors came in.
fn normal_radicals(radicals: Vec<(Q, Q)>) -> (Q, Vec<(Expr, Expr)>) {
    let pair = |b: Q, e: Q| (Expr::num(b), Expr::num(e));
    let mut coeff = Q::one();
    let mut out: Vec<(Expr, Expr)> = Vec::new();
    let mut merge: Vec<(Q, Q)> = Vec::new();
    for (key, v) in radicals {
        let (k, f) = split_exponent(&v);
        if f.is_zero() {
            match numeric_power(&key, &v) {
                Some(q) => coeff = coeff.mul(&q),
                None => out.push(pair(key, v)),
            }
            continue;
        }
        let Some(power) = k.filter(|&k| !key.pow_would_exceed(k, FOLD_POWER_BITS)).and_then(|k| key.pow(k)) else {
            out.push(pair(key, v));
            continue;
        };
        coeff = coeff.mul(&power);
        let whole = key.numer().bits() > RADICAL_BITS || key.denom().bits() > RADICAL_BITS;
        if whole {
            match numeric_power(&key, &f) {
                Some(q) => coeff = coeff.mul(&q),
                None => out.push(pair(key, f)),
            }
        } else if key.is_integer() && key < Q::from(i64::from(SMALL_PRIME_BOUND)) {
            merge.push((key, f));
        } else {
            out.push(pair(key, f));
        }
    }
    match merged_radical(&merge) {
        Some((r, d)) => out.push(pair(r, Q::new(1, d))),
        _ => out.extend(merge.into_iter().map(|(p, f)| pair(p, f))),
    }
    (coeff, out)
}

/// `(R, D)` with `Π p^f = R^(1/D)` for small primes `p` under fractional
/// exponents `f`, `D` the least common multiple of their denominators;
/// `None` when there are none, or `D` or `R` would have more than
/// [`RADICAL_BITS`] (bits).
fn merged_radical(merge: &[(Q, Q)]) -> Option<(Q, i64)> {
    if merge.is_empty() {
        return None;
    }
    let mut d: i64 = 1;
    for (_, f) in merge {
        let q = i64::try_from(f.denom()).ok()?;
        d = num_integer::Integer::lcm(&d, &q);
        if d.unsigned_abs() > RADICAL_BITS {
            return None;
        }
    }
    let mut bits: u64 = 0;
    let mut powers: Vec<(&Q, i64)> = Vec::with_capacity(merge.len());
    for (p, f) in merge {
        let m = f.mul(&Q::from(d)).to_i64()?;
        bits = bits.saturating_add(m.unsigned_abs().saturating_mul(p.numer().bits()));
        powers.push((p, m));
    }
    if bits > RADICAL_BITS {
        return None;
    }
    let mut r = Q::one();
    for (p, m) in powers {
        r = r.mul(&p.pow(m)?);
    }
    Some((r, d))
}

/// The numeric radicals among `factors` (a product's), summed under their
/// keys, with the factors they came from: what [`Expr::is_canonical`]
/// compares with [`normal_radicals`].
type RadicalSplit = (Vec<(Q, Q)>, Vec<(Expr, Expr)>);

fn split_radicals(factors: &[(Expr, Expr)]) -> RadicalSplit {
    let mut keyed: Vec<(Q, Q)> = Vec::new();
    let mut radicals = Vec::new();
    for (b, e) in factors {
        match (b.as_num(), e.as_num()) {
            (Some(bq), Some(eq)) if is_radical(bq, eq) => {
                for (key, m) in radical_keys(bq) {
                    let v = eq.mul(&Q::from(m));
                    match keyed.iter_mut().find(|(k, _)| *k == key) {
                        Some(slot) => slot.1 = slot.1.add(&v),
                        None => keyed.push((key, v)),
                    }
                }
                radicals.push((b.clone(), e.clone()));
            }
            _ => {}
        }
    }
    (keyed, radicals)
}

/// True when the numeric radicals among a product's `factors` are in the
/// form [`normal_radicals`] gives (with nothing left for the coefficient).
fn radicals_are_normal(factors: &[(Expr, Expr)]) -> bool {
    let (keyed, mut radicals) = split_radicals(factors);
    if keyed.iter().any(|(_, v)| v.is_integer()) {
        return false;
    }
    let (c, mut normal) = normal_radicals(keyed);
    radicals.sort();
    normal.sort();
    c.is_one() && radicals == normal
}

/// Computes `b^e` for numbers when the result is rational and small enough.
fn numeric_power(b: &Q, e: &Q) -> Option<Q> {
    // 0, 1 and -1 have powers of every size, also of exponents that do not
    // fit in i64: `0^(10^101)` is 0, so dividing by it is a division by zero.
    if b.is_zero() && !e.is_negative() && !e.is_zero() {
        return Some(Q::zero());
    }
    if b.is_one() {
        return Some(Q::one());
    }
    if b.neg().is_one() && e.is_integer() {
        let odd = e.numer().bit(0);
        return Some(if odd { b.clone() } else { Q::one() });
    }
    if e.is_integer() {
        let k = e.to_i64()?;
        // A reciprocal costs nothing whatever its size; and `n/d` printed
        // from a rational with a huge denominator must read back as that
        // rational, not as n·d^-1.
        if k == -1 {
            return b.recip();
        }
        if b.pow_would_exceed(k, FOLD_POWER_BITS) {
            return None;
        }
        return b.pow(k);
    }
    // A rational exponent p/q: exact when b is a perfect q-th power.
    let q = u32::try_from(e.denom()).ok()?;
    let p = e.numer();
    let p = i64::try_from(p).ok()?;
    let root = b.exact_root(q)?;
    if root.pow_would_exceed(p, FOLD_POWER_BITS) {
        return None;
    }
    root.pow(p)
}

/// A memo of values computed from a pair of expressions. It is looked up by
/// the pair's allocations first, which costs neither a clone nor a
/// comparison (the expressions are kept, so an address is not reused while
/// the memo lives), then by value.
pub(crate) struct PairMemo<V> {
    /// By the two addresses, with the expressions that keep them allocated.
    by_address: HashMap<(usize, usize), AddressEntry<V>, FxBuild>,
    by_value: HashMap<(Expr, Expr), std::rc::Rc<V>, FxBuild>,
}

/// Hash maps with [`FxHasher`].
pub(crate) type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

/// A [`PairMemo`] entry found by address: the pair and the value.
type AddressEntry<V> = (Expr, Expr, std::rc::Rc<V>);

impl<V> Default for PairMemo<V> {
    fn default() -> PairMemo<V> {
        PairMemo { by_address: HashMap::default(), by_value: HashMap::default() }
    }
}

impl<V> PairMemo<V> {
    /// The value for `(a, b)`, computed by `f` the first time.
    pub(crate) fn get_or_insert_with(&mut self, a: &Expr, b: &Expr, f: impl FnOnce() -> V) -> std::rc::Rc<V> {
        let address = (Arc::as_ptr(&a.0) as usize, Arc::as_ptr(&b.0) as usize);
        if let Some((_, _, v)) = self.by_address.get(&address) {
            return v.clone();
        }
        let v = self.by_value.entry((a.clone(), b.clone())).or_insert_with(|| std::rc::Rc::new(f())).clone();
        self.by_address.insert(address, (a.clone(), b.clone(), v.clone()));
        v
    }
}

/// A memo of `a + b` for exponents: the product rule over the terms of a
/// large sum adds the same exponents again and again.
#[derive(Default)]
pub(crate) struct ExprPairMemo(PairMemo<Expr>);

impl ExprPairMemo {
    /// `a + b`, computed once per pair.
    pub(crate) fn add(&mut self, a: &Expr, b: &Expr) -> Expr {
        Expr::clone(&self.0.get_or_insert_with(a, b, || Expr::add(a, b)))
    }
}

/// Up to this many entries a builder finds a key by scanning; beyond, by
/// a hash map (built when the scan gets too long): most sums and products
/// are small, and a map costs an allocation and a hash per key.
const SCAN_LIMIT: usize = 12;

/// The position of `key` among the keys of `entries`, using (and, past
/// [`SCAN_LIMIT`], building) `index`.
fn find_slot<V>(index: &mut HashMap<Expr, usize>, entries: &[(Expr, V)], key: &Expr) -> Option<usize> {
    if entries.len() <= SCAN_LIMIT {
        return entries.iter().position(|(k, _)| k == key);
    }
    if index.is_empty() {
        index.extend(entries.iter().enumerate().map(|(i, (k, _))| (k.clone(), i)));
    }
    index.get(key).copied()
}

#[derive(Default)]
struct SumBuilder {
    constant: Q,
    index: HashMap<Expr, usize>,
    terms: Vec<(Expr, Q)>,
}

impl SumBuilder {
    fn add_scaled(&mut self, item: &Expr, scale: &Q) {
        match item.node() {
            Node::Num(q) => self.constant = self.constant.add(&q.mul(scale)),
            Node::Sum { constant, terms } => {
                self.constant = self.constant.add(&constant.mul(scale));
                for (t, c) in terms {
                    self.add_term(t, c.mul(scale));
                }
            }
            Node::Product { coeff, factors } if !coeff.is_one() => {
                self.add_term(&Expr::monic_product(factors.clone()), coeff.mul(scale));
            }
            _ => self.add_term(item, scale.clone()),
        }
    }

    fn add_term(&mut self, term: &Expr, coeff: Q) {
        match find_slot(&mut self.index, &self.terms, term) {
            Some(i) => {
                if let Some(slot) = self.terms.get_mut(i) {
                    slot.1 = slot.1.add(&coeff);
                }
            }
            None => {
                if !self.index.is_empty() {
                    self.index.insert(term.clone(), self.terms.len());
                }
                self.terms.push((term.clone(), coeff));
            }
        }
    }

    fn build(self) -> Expr {
        let mut terms: Vec<(Expr, Q)> = self.terms.into_iter().filter(|(_, c)| !c.is_zero()).collect();
        sort_terms(&mut terms);
        finish_sum(self.constant, terms)
    }
}

/// The sum of terms that are canonical sum terms, distinct, with nonzero
/// coefficients and in [`term_order`] (what [`SumBuilder::build`] ends with).
fn finish_sum(constant: Q, mut terms: Vec<(Expr, Q)>) -> Expr {
    match terms.len() {
        0 => Expr::num(constant),
        1 if constant.is_zero() => match terms.pop() {
            Some((t, c)) if c.is_one() => t,
            Some((t, c)) => Expr::product([Expr::num(c), t]),
            None => Expr::num(constant),
        },
        _ => Expr::from_node(Node::Sum { constant, terms }),
    }
}

struct ProductBuilder {
    coeff: Q,
    index: HashMap<Expr, usize>,
    factors: Vec<(Expr, Expr)>,
    /// The exponents of numeric radicals, collected under the keys of
    /// [`radical_keys`] (apart from `factors`: a radical never merges into
    /// another power of the same base, `7^n·7^(1/5)` stays two factors).
    radicals: Vec<(Q, Q)>,
    radical_index: HashMap<Q, usize>,
    /// Arguments of `exp` factors, combined into one `exp(Σ)`.
    exp_args: Vec<Expr>,
}

/// The size of the number `b^x` stands for, when both are numbers and the
/// power was too large to compute (`5^3221125`: about 7.5 million bits);
/// 0 otherwise. Bases 0 and ±1 have powers of no size.
fn power_bits(b: &Expr, x: &Expr) -> u64 {
    let (Some(b), Some(x)) = (b.as_num(), x.as_num()) else { return 0 };
    if b.is_zero() || b.abs().is_one() {
        return 0;
    }
    let bits = b.bits().saturating_sub(1).max(1);
    let x = x.abs();
    let whole = num_traits::ToPrimitive::to_u64(&(x.numer() / x.denom())).unwrap_or(u64::MAX);
    bits.saturating_mul(whole)
}

/// For an integer power of an integer base too large to fold (`7911^15872`),
/// moves the factors of the base out of the coefficient into the exponent,
/// so that `7911^-15872/7911` and `1/(7911*7911^15872)` are the same
/// `7911^-15873`: the coefficient is left with no factor of the base.
///
/// The same holds for an exponent whose constant part is that large
/// (`3^(θ + 9333333333)`): the constant takes the factors.
fn absorb_base(base: &Expr, exp: Expr, coeff: &mut Q) -> Expr {
    let Some(b) = base.as_num() else { return exp };
    let k = match exp.node() {
        Node::Num(k) => k.clone(),
        Node::Sum { constant, .. } if power_bits(base, &Expr::num(constant.clone())) > FOLD_POWER_BITS => {
            constant.clone()
        }
        _ => return exp,
    };
    if !b.is_integer() || !k.is_integer() || coeff.is_zero() {
        return exp;
    }
    let b = b.numer();
    if b <= num_bigint::BigInt::from(1) {
        return exp;
    }
    // How often `b` divides `m`, and what is left.
    let strip = |mut m: num_bigint::BigInt| -> (num_bigint::BigInt, i64) {
        let mut times = 0;
        loop {
            let (q, r) = num_integer::Integer::div_rem(&m, &b);
            if !num_traits::Zero::is_zero(&r) {
                return (m, times);
            }
            m = q;
            times += 1;
        }
    };
    let (n, up) = strip(coeff.numer());
    let (d, down) = strip(coeff.denom());
    if up == 0 && down == 0 {
        return exp;
    }
    *coeff = Q::from_big(num_rational::BigRational::new_raw(n, d));
    Expr::add(&exp, &Expr::int(up - down))
}

impl ProductBuilder {
    fn new() -> ProductBuilder {
        ProductBuilder {
            coeff: Q::one(),
            index: HashMap::new(),
            factors: Vec::new(),
            radicals: Vec::new(),
            radical_index: HashMap::new(),
            exp_args: Vec::new(),
        }
    }

    /// Multiplies in `item^exp`, where `exp` is an integer whenever `item` is
    /// a product (the only case in which distributing the power is valid).
    fn push(&mut self, item: &Expr, exp: &Expr) {
        match item.node() {
            Node::Num(q) => {
                if exp.is_one() {
                    self.coeff = self.coeff.mul(q);
                } else {
                    self.push_factor(item.clone(), exp.clone());
                }
            }
            Node::Product { coeff, factors } => {
                if exp.is_one() {
                    self.coeff = self.coeff.mul(coeff);
                } else {
                    self.push_factor(Expr::num(coeff.clone()), exp.clone());
                }
                for (b, e) in factors {
                    let e = if exp.is_one() { e.clone() } else { Expr::mul(e, exp) };
                    self.push_factor(b.clone(), e);
                }
            }
            _ => {
                let (b, e) = item.as_factor();
                let e = if exp.is_one() { e } else { Expr::mul(&e, exp) };
                self.push_factor(b, e);
            }
        }
    }

    fn push_factor(&mut self, base: Expr, exp: Expr) {
        // A numeric radical is collected under the keys of its base, so that
        // equal primes combine whatever the grouping.
        if let (Some(b), Some(e)) = (base.as_num(), exp.as_num())
            && is_radical(b, e)
        {
            self.push_radical(b, e);
            return;
        }
        if let Node::Call(Func::Exp, a) = base.node() {
            self.exp_args.push(Expr::mul(a, &exp));
            return;
        }
        // A sum under an integer power is kept primitive, its content moved
        // into the coefficient, so that -(x + 1)*y and (-x - 1)*y are one form.
        let base = match sum_content(&base, &exp) {
            Some((factor, primitive)) => {
                self.coeff = self.coeff.mul(&factor);
                primitive
            }
            None => base,
        };
        self.push_slot(base, exp);
    }

    /// Multiplies in the numeric radical `b^e` (see [`is_radical`]).
    fn push_radical(&mut self, b: &Q, e: &Q) {
        for (key, m) in radical_keys(b) {
            let v = e.mul(&Q::from(m));
            self.push_radical_key(key, v);
        }
    }

    /// Multiplies in `key^v` for a key of [`radical_keys`].
    fn push_radical_key(&mut self, key: Q, v: Q) {
        match self.radical_index.get(&key).and_then(|&i| self.radicals.get_mut(i)) {
            Some(slot) => slot.1 = slot.1.add(&v),
            None => {
                self.radical_index.insert(key.clone(), self.radicals.len());
                self.radicals.push((key, v));
            }
        }
    }

    /// Multiplies in `base^exp` under the slot of `base`.
    fn push_slot(&mut self, base: Expr, exp: Expr) {
        match find_slot(&mut self.index, &self.factors, &base) {
            Some(i) => {
                if let Some(slot) = self.factors.get_mut(i) {
                    slot.1 = Expr::add(&slot.1, &exp);
                }
            }
            None => {
                if !self.index.is_empty() {
                    self.index.insert(base.clone(), self.factors.len());
                }
                self.factors.push((base, exp));
            }
        }
    }

    fn build(mut self) -> Expr {
        if !self.exp_args.is_empty() {
            let arg = Expr::sum(std::mem::take(&mut self.exp_args));
            let e = Expr::call(Func::Exp, &arg);
            match e.node() {
                Node::Call(Func::Exp, _) => self.factors.push((e, Expr::one())),
                _ => {
                    // exp(Σ) folded to something else (exp(0) = 1, exp(ln y) = y).
                    let rest = self.build();
                    return Expr::mul(&rest, &e);
                }
            }
        }
        let mut factors = Vec::with_capacity(self.factors.len());
        let mut respill = Vec::new();
        let ordinary = std::mem::take(&mut self.factors);
        for (b, e) in ordinary {
            // Exponents that cancelled to a fraction (7^(n + 1/5)·7^-n) leave
            // a numeric radical.
            if let (Some(bq), Some(eq)) = (b.as_num(), e.as_num())
                && is_radical(bq, eq)
            {
                self.push_radical(bq, eq);
                continue;
            }
            let integer = e.as_num().is_some_and(Q::is_integer);
            // Merged exponents can turn (x*y)^(1/2)·(x*y)^(1/2) into (x*y)^1,
            // which must be flattened again; likewise a sum that is not primitive.
            let needs_respill = integer
                && !e.is_zero()
                && match b.node() {
                    Node::Product { .. } | Node::Pow(..) => true,
                    Node::Sum { .. } => sum_content(&b, &e).is_some(),
                    _ => false,
                };
            if needs_respill {
                respill.push(Expr::pow(&b, &e));
                continue;
            }
            // Exponents that cancel leave 1, as x/x does (0^x/0^x included).
            if e.is_zero() {
                continue;
            }
            // A factor that is itself a power after merging exponents
            // (e.g. a sum raised to a merged exponent) stays as it is; a
            // numeric base with a now-rational result folds into the coefficient.
            if b.as_num().is_some() {
                let p = Expr::pow(&b, &e);
                match p.node() {
                    Node::Num(q) => self.coeff = self.coeff.mul(q),
                    Node::Pow(pb, pe) if *pb == b && *pe == e => {
                        let e = absorb_base(&b, e, &mut self.coeff);
                        factors.push((b, e));
                    }
                    _ => respill.push(p),
                }
                continue;
            }
            if b.is_zero() && e.as_num().is_some_and(|q| !q.is_negative()) {
                return Expr::zero();
            }
            factors.push((b, e));
        }
        if self.coeff.is_zero() {
            return Expr::zero();
        }
        if !respill.is_empty() {
            let mut again = ProductBuilder::new();
            again.coeff = self.coeff;
            for (b, e) in factors {
                again.push_factor(b, e);
            }
            for (key, v) in self.radicals {
                again.push_radical_key(key, v);
            }
            for item in respill {
                again.push(&item, &Expr::one());
            }
            return again.build();
        }
        if !self.radicals.is_empty() {
            let (c, normal) = normal_radicals(self.radicals);
            self.coeff = self.coeff.mul(&c);
            factors.extend(normal);
            if self.coeff.is_zero() {
                return Expr::zero();
            }
        }
        // A radical and another power of the same base are ordered by exponent.
        factors.sort();
        if factors.is_empty() {
            return Expr::num(self.coeff);
        }
        if factors.len() == 1 {
            if self.coeff.is_one() {
                return Expr::monic_product(factors);
            }
            // A number times a sum distributes: 2*(x + 1) is 2*x + 2.
            if let Some((b, e)) = factors.first()
                && e.is_one()
                && matches!(b.node(), Node::Sum { .. })
            {
                return Expr::weighted_sum(Q::zero(), [(b.clone(), self.coeff)]);
            }
        }
        Expr::from_node(Node::Product { coeff: self.coeff, factors })
    }
}

fn kind_rank(n: &Node) -> u8 {
    match n {
        Node::Num(_) => 0,
        Node::Sym(_) => 1,
        Node::Call(..) => 2,
        Node::Pow(..) => 3,
        Node::Product { .. } => 4,
        Node::Sum { .. } => 5,
    }
}

impl Ord for Expr {
    /// A total structural order: numbers, then variables by name, then calls,
    /// powers, products and sums. Product factors are sorted by it.
    fn cmp(&self, other: &Expr) -> Ordering {
        if Arc::ptr_eq(&self.0, &other.0) {
            return Ordering::Equal;
        }
        match (self.node(), other.node()) {
            (Node::Num(a), Node::Num(b)) => a.cmp(b),
            (Node::Sym(a), Node::Sym(b)) => a.cmp(b),
            (Node::Call(f, a), Node::Call(g, b)) => f.cmp(g).then_with(|| a.cmp(b)),
            (Node::Pow(a, e), Node::Pow(b, f)) => a.cmp(b).then_with(|| e.cmp(f)),
            (Node::Product { coeff: c, factors: f }, Node::Product { coeff: d, factors: g }) => {
                f.iter().cmp(g.iter()).then_with(|| c.cmp(d))
            }
            (Node::Sum { constant: c, terms: s }, Node::Sum { constant: d, terms: t }) => {
                s.iter().cmp(t.iter()).then_with(|| c.cmp(d))
            }
            (a, b) => kind_rank(a).cmp(&kind_rank(b)),
        }
    }
}

impl PartialOrd for Expr {
    fn partial_cmp(&self, other: &Expr) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The polynomial-style degree used to order the terms of a sum: variables
/// count 1, numeric exponents multiply, calls count 0.
fn degree(e: &Expr) -> Q {
    match small_degree(e) {
        Some(d) => Q::from(d),
        None => rational_degree(e),
    }
}

/// [`degree`] in machine integers, when every numeric exponent on the way
/// is an integer and nothing overflows (the common case, and much cheaper).
fn small_degree(e: &Expr) -> Option<i64> {
    match e.node() {
        Node::Num(_) | Node::Call(..) => Some(0),
        Node::Sym(_) => Some(1),
        Node::Pow(b, x) => match x.as_num() {
            Some(q) => small_degree(b)?.checked_mul(q.to_i64()?),
            None => small_degree(b),
        },
        Node::Product { factors, .. } => factors.iter().try_fold(0i64, |acc, (b, x)| {
            let d = small_degree(b)?;
            acc.checked_add(match x.as_num() {
                Some(q) => d.checked_mul(q.to_i64()?)?,
                None => d,
            })
        }),
        Node::Sum { terms, .. } => {
            let mut top: Option<i64> = None;
            for (t, _) in terms {
                let d = small_degree(t)?;
                top = Some(top.map_or(d, |m| m.max(d)));
            }
            Some(top.unwrap_or(0))
        }
    }
}

fn rational_degree(e: &Expr) -> Q {
    match e.node() {
        Node::Num(_) | Node::Call(..) => Q::zero(),
        Node::Sym(_) => Q::one(),
        Node::Pow(b, x) => match x.as_num() {
            Some(q) => degree(b).mul(q),
            None => degree(b),
        },
        Node::Product { factors, .. } => factors.iter().fold(Q::zero(), |acc, (b, x)| {
            let d = degree(b);
            acc.add(&match x.as_num() {
                Some(q) => d.mul(q),
                None => d,
            })
        }),
        Node::Sum { terms, .. } => terms.iter().map(|(t, _)| degree(t)).max().unwrap_or_else(Q::zero),
    }
}

/// The order in which the terms of a sum are kept and printed: descending
/// total degree, ties broken by variable name (graded lexicographic order:
/// `w0^2`, `w0*w1`, `w1^2`, `w0`, `w1`), the constant last.
///
/// ```
/// use std::cmp::Ordering;
/// let r = |s| kobai::read(s).unwrap();
/// assert_eq!(kobai::term_order(&r("w1^2"), &r("w1")), Ordering::Less);
/// assert_eq!(kobai::term_order(&r("w0*w1"), &r("w1^2")), Ordering::Less);
/// ```
pub fn term_order(a: &Expr, b: &Expr) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    degree(b).cmp(&degree(a)).then_with(|| factors_cmp(&factor_list(a), &factor_list(b)).then_with(|| a.cmp(b)))
}

/// The tie-break of [`term_order`] between two terms of equal degree, by
/// their factor lists: bases in order, higher exponents first, then the
/// longer list first.
fn factors_cmp(fa: &[(Expr, Expr)], fb: &[(Expr, Expr)]) -> Ordering {
    for ((ba, ea), (bb, eb)) in fa.iter().zip(fb.iter()) {
        // Shared factors are the same allocation: equal at a glance.
        if Arc::ptr_eq(&ba.0, &bb.0) && Arc::ptr_eq(&ea.0, &eb.0) {
            continue;
        }
        let by_base = ba.cmp(bb);
        if by_base != Ordering::Equal {
            return by_base;
        }
        let by_exp = exponent_cmp(eb, ea);
        if by_exp != Ordering::Equal {
            return by_exp;
        }
    }
    fb.len().cmp(&fa.len())
}

/// A term's degree and factor list, for sorting.
type SortKey<'a> = (Q, std::borrow::Cow<'a, [(Expr, Expr)]>);

/// Sorts the terms of a sum by [`term_order`]. For many terms the degree and
/// the factor list of each term, which every comparison needs, are computed
/// once rather than in each comparison.
fn sort_terms(terms: &mut Vec<(Expr, Q)>) {
    sort_terms_in_runs(terms, false);
}

/// [`sort_terms`]; `in_runs` tells that the terms come in several runs that
/// are each mostly in order, which the sort finds and merges, so that
/// checking first for one run in order (or in reverse) is wasted.
fn sort_terms_in_runs(terms: &mut Vec<(Expr, Q)>, in_runs: bool) {
    if terms.len() <= 16 {
        terms.sort_by(|a, b| term_order(&a.0, &b.0));
        return;
    }
    // Products of many factors often share their bases, in the same places
    // (the terms of a product rule do): the degree of the base found at a
    // place in the previous product is reused.
    let mut previous: Vec<(usize, Option<i64>)> = Vec::new();
    let mut product_degree = |factors: &[(Expr, Expr)]| -> Option<i64> {
        let mut total = 0i64;
        for (k, (b, x)) in factors.iter().enumerate() {
            let key = Arc::as_ptr(&b.0) as usize;
            let d = match previous.get(k) {
                Some(&(p, d)) if p == key => d,
                _ => {
                    let d = small_degree(b);
                    match previous.get_mut(k) {
                        Some(slot) => *slot = (key, d),
                        None => previous.push((key, d)),
                    }
                    d
                }
            }?;
            total = total.checked_add(match x.as_num() {
                Some(q) => d.checked_mul(q.to_i64()?)?,
                None => d,
            })?;
        }
        Some(total)
    };
    let keys: Vec<SortKey<'_>> = terms
        .iter()
        .map(|(t, _)| match t.node() {
            Node::Product { factors, .. } => {
                let d = product_degree(factors).map_or_else(|| degree(t), Q::from);
                (d, std::borrow::Cow::Borrowed(factors.as_slice()))
            }
            _ => (degree(t), std::borrow::Cow::Owned(vec![t.as_factor()])),
        })
        .collect();
    let compare = |i: usize, j: usize| -> Ordering {
        let (Some((a, _)), Some((b, _)), Some((da, fa)), Some((db, fb))) =
            (terms.get(i), terms.get(j), keys.get(i), keys.get(j))
        else {
            return Ordering::Equal;
        };
        // Not `a == b`, which would read every term's node for its hash: the
        // keys decide unequal terms, and equal ones end in `a.cmp(b)`.
        if Arc::ptr_eq(&a.0, &b.0) {
            return Ordering::Equal;
        }
        db.cmp(da).then_with(|| factors_cmp(fa, fb).then_with(|| a.cmp(b)))
    };
    // Terms often come in order, or in reverse order (a product rule's
    // terms do): a pass finds out, and stops at the first pair out of order.
    let n = terms.len();
    if !in_runs && (1..n).all(|i| compare(i - 1, i) == Ordering::Less) {
        return;
    }
    if !in_runs && (1..n).all(|i| compare(i - 1, i) == Ordering::Greater) {
        drop(keys);
        terms.reverse();
        return;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| compare(i, j));
    drop(keys);
    let mut taken: Vec<Option<(Expr, Q)>> = std::mem::take(terms).into_iter().map(Some).collect();
    terms.extend(order.into_iter().filter_map(|i| taken.get_mut(i).and_then(Option::take)));
}

fn exponent_cmp(a: &Expr, b: &Expr) -> Ordering {
    match (a.as_num(), b.as_num()) {
        (Some(x), Some(y)) => x.cmp(y),
        _ => a.cmp(b),
    }
}

fn factor_list(e: &Expr) -> Vec<(Expr, Expr)> {
    match e.node() {
        Node::Product { factors, .. } => factors.clone(),
        _ => vec![e.as_factor()],
    }
}

impl PartialEq for Expr {
    fn eq(&self, other: &Expr) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || (self.0.hash == other.0.hash && self.0.node == other.0.node)
    }
}

impl Eq for Expr {}

impl Hash for Expr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.0.hash);
    }
}

impl fmt::Debug for Expr {
    /// The explicit structural form used by snapshots.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::print::structural(self))
    }
}

impl fmt::Display for Expr {
    /// The plain text form, which parses back to the same `Expr`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::print::text(self))
    }
}
