//! What a subcommand produces, rendered in the format the user chose.

use kobai::{Expr, Symbol};
use serde_json::{Value, json};

use super::Format;

/// A subcommand's result.
pub enum Output {
    /// One expression, with an optional approximation for `eval`.
    Expr {
        /// `--show-parse`: how the input was read.
        reading: Option<String>,
        /// The result.
        expr: Expr,
        /// A decimal value when no exact rational exists.
        approx: Option<f64>,
    },
    /// A gradient: one expression per variable.
    Gradient {
        /// `--show-parse`: how the input was read.
        reading: Option<String>,
        /// The variables, in the order asked for.
        vars: Vec<Symbol>,
        /// `∂/∂var` for each variable.
        items: Vec<Expr>,
    },
    /// A Hessian matrix.
    Hessian {
        /// `--show-parse`: how the input was read.
        reading: Option<String>,
        /// The variables, in the order asked for.
        vars: Vec<Symbol>,
        /// Row `i`, column `j`: `∂²/∂vᵢ∂vⱼ`.
        rows: Vec<Vec<Expr>>,
    },
    /// A labelled walk through several results (the demo).
    Walk(Vec<(String, Expr)>),
    /// Step-by-step explanations (one per variable for `grad`).
    Steps(Vec<kobai::Steps>),
    /// Output already rendered in the chosen format, with its exit code.
    Rendered {
        /// What to print.
        text: String,
        /// 0, or 1 when nothing was found.
        code: u8,
    },
}

impl From<super::solve::Solved> for Output {
    fn from(s: super::solve::Solved) -> Output {
        Output::Rendered { text: s.text, code: s.code }
    }
}

/// Sets `key` of the JSON object `v` to `value`. Every value this is used on
/// is an object; anything else is left as it is, where `v[key] = value`
/// would panic.
pub fn set(v: &mut Value, key: &str, value: Value) {
    if let Some(map) = v.as_object_mut() {
        map.insert(key.to_string(), value);
    }
}

fn show(e: &Expr, format: Format) -> String {
    match format {
        Format::Text | Format::Json => kobai::text(e),
        Format::Unicode => kobai::unicode(e),
        Format::Latex => kobai::latex(e),
    }
}

fn reading_line(reading: &Option<String>) -> String {
    reading.as_ref().map(|r| format!("read as: {r}\n")).unwrap_or_default()
}

impl Output {
    /// The exit code: 0, or 1 when a search found nothing.
    pub fn exit_code(&self) -> u8 {
        match self {
            Output::Rendered { code, .. } => *code,
            _ => 0,
        }
    }

    /// The output as it is printed, ending in a newline.
    pub fn render(&self, format: Format) -> String {
        if let Output::Rendered { text, .. } = self {
            return text.clone();
        }
        if let Output::Steps(all) = self {
            if format == Format::Json {
                let v = match all.as_slice() {
                    [one] => one.to_json(),
                    many => json!({"explanations": many.iter().map(kobai::Steps::to_json).collect::<Vec<_>>()}),
                };
                return format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default());
            }
            let parts: Vec<String> = all
                .iter()
                .map(|s| match format {
                    Format::Latex => s.render_latex(),
                    Format::Unicode => s.render_text(true),
                    Format::Text | Format::Json => s.render_text(false),
                })
                .collect();
            return parts.join("\n");
        }
        if format == Format::Json {
            let mut text = serde_json::to_string_pretty(&self.json()).unwrap_or_default();
            text.push('\n');
            return text;
        }
        match self {
            Output::Expr { reading, expr, approx } => {
                let mut out = reading_line(reading);
                out.push_str(&show(expr, format));
                if let Some(v) = approx {
                    out.push_str(&format!(" ≈ {v}"));
                }
                out.push('\n');
                out
            }
            Output::Gradient { reading, vars, items } => {
                let mut out = reading_line(reading);
                if format == Format::Latex {
                    let rows: Vec<String> = items.iter().map(kobai::latex).collect();
                    out.push_str(&format!("\\nabla = \\begin{{pmatrix}} {} \\end{{pmatrix}}\n", rows.join(" \\\\ ")));
                    return out;
                }
                let labels: Vec<String> = vars.iter().map(|v| partial_label(*v, format)).collect();
                let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
                for (label, item) in labels.iter().zip(items) {
                    let pad = width - label.chars().count();
                    out.push_str(&format!("{label}{}  {}\n", " ".repeat(pad), show(item, format)));
                }
                out
            }
            Output::Hessian { reading, vars, rows } => {
                let mut out = reading_line(reading);
                if format == Format::Latex {
                    let body: Vec<String> =
                        rows.iter().map(|r| r.iter().map(kobai::latex).collect::<Vec<_>>().join(" & ")).collect();
                    out.push_str(&format!("\\begin{{pmatrix}} {} \\end{{pmatrix}}\n", body.join(" \\\\ ")));
                    return out;
                }
                let cells: Vec<Vec<String>> =
                    rows.iter().map(|r| r.iter().map(|e| show(e, format)).collect()).collect();
                let columns = vars.len();
                let widths: Vec<usize> = (0..columns)
                    .map(|j| cells.iter().filter_map(|r| r.get(j)).map(|c| c.chars().count()).max().unwrap_or(0))
                    .collect();
                let names: Vec<&str> = vars.iter().map(|v| v.name()).collect();
                out.push_str(&format!("variables: {}\n", names.join(", ")));
                for row in &cells {
                    let padded: Vec<String> = row
                        .iter()
                        .zip(&widths)
                        .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
                        .collect();
                    out.push_str(&format!("[ {} ]\n", padded.join("   ")));
                }
                out
            }
            Output::Rendered { text, .. } => text.clone(),
            Output::Steps(_) => String::new(),
            Output::Walk(items) => {
                let width = items.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(0);
                let mut out = String::new();
                for (label, e) in items {
                    let pad = width - label.chars().count();
                    out.push_str(&format!("{label}{}  {}\n", " ".repeat(pad), show(e, format)));
                }
                out
            }
        }
    }

    fn json(&self) -> Value {
        let forms =
            |e: &Expr| json!({"result": kobai::text(e), "unicode": kobai::unicode(e), "latex": kobai::latex(e)});
        match self {
            Output::Expr { reading, expr, approx } => {
                let mut v = forms(expr);
                if let Some(a) = approx {
                    set(&mut v, "approx", json!(a.to_string()));
                }
                if let Some(r) = reading {
                    set(&mut v, "read_as", json!(r));
                }
                v
            }
            Output::Gradient { reading, vars, items } => {
                let mut result = serde_json::Map::new();
                let mut latex = serde_json::Map::new();
                for (v, e) in vars.iter().zip(items) {
                    result.insert(v.name().to_string(), json!(kobai::text(e)));
                    latex.insert(v.name().to_string(), json!(kobai::latex(e)));
                }
                let names: Vec<&str> = vars.iter().map(|v| v.name()).collect();
                let mut v = json!({"variables": names, "result": result, "latex": latex});
                if let Some(r) = reading {
                    set(&mut v, "read_as", json!(r));
                }
                v
            }
            Output::Hessian { reading, vars, rows } => {
                let text: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(kobai::text).collect()).collect();
                let latex: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(kobai::latex).collect()).collect();
                let names: Vec<&str> = vars.iter().map(|v| v.name()).collect();
                let mut v = json!({"variables": names, "result": text, "latex": latex});
                if let Some(r) = reading {
                    set(&mut v, "read_as", json!(r));
                }
                v
            }
            Output::Walk(items) => {
                let steps: Vec<Value> = items
                    .iter()
                    .map(|(label, e)| {
                        let mut v = forms(e);
                        set(&mut v, "label", json!(label));
                        v
                    })
                    .collect();
                json!({ "steps": steps })
            }
            Output::Rendered { text, .. } => json!(text),
            Output::Steps(all) => json!(all.iter().map(kobai::Steps::to_json).collect::<Vec<_>>()),
        }
    }
}

fn partial_label(v: Symbol, format: Format) -> String {
    match format {
        Format::Unicode => format!("∂/∂{v}"),
        _ => format!("d/d{v}"),
    }
}
