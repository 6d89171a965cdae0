//! `plot`: the SVG parses as XML, has the expected series, stays inside the
//! plotting area, and its points lie on the function (read back from the
//! pixel coordinates); singularities break the curve; a snapshot of the
//! SVG's structure.

mod data_support;

use data_support::{fails, in_snapshot_folder, kobai, ok};
use kobai::{Frame, Plot, PlotOptions, Q, SeriesKind, Symbol, plot, read};

/// The polylines (stroke colour, points) and circles (fill colour, centre)
/// of an SVG document.
struct Drawn {
    polylines: Vec<(String, Vec<(f64, f64)>)>,
    circles: Vec<(String, (f64, f64))>,
}

fn parse(svg: &str) -> Drawn {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let mut polylines = Vec::new();
    let mut circles = Vec::new();
    for node in doc.descendants().filter(roxmltree::Node::is_element) {
        match node.tag_name().name() {
            "polyline" => {
                let color = node.attribute("stroke").expect("stroke").to_ascii_lowercase();
                let points = node
                    .attribute("points")
                    .expect("points")
                    .split_whitespace()
                    .map(|p| {
                        let (x, y) = p.split_once(',').expect("x,y");
                        (x.parse().expect("x"), y.parse().expect("y"))
                    })
                    .collect();
                polylines.push((color, points));
            }
            "circle" => {
                let color = node.attribute("fill").expect("fill").to_ascii_lowercase();
                let at = |a: &str| node.attribute(a).expect("centre").parse::<f64>().expect("number");
                circles.push((color, (at("cx"), at("cy"))));
            }
            _ => {}
        }
    }
    Drawn { polylines, circles }
}

fn svg_of(p: &Plot) -> (String, Frame, Drawn) {
    let (svg, frame) = p.to_svg(800, 500).expect("drawn");
    let drawn = parse(&svg);
    (svg, frame, drawn)
}

/// The polylines of one series colour, without the legend's sample line
/// (drawn last, after every series).
fn lines_of(d: &Drawn, kind: SeriesKind, pieces: usize) -> Vec<&Vec<(f64, f64)>> {
    let all: Vec<&Vec<(f64, f64)>> = d.polylines.iter().filter(|(c, _)| c == kind.color()).map(|(_, p)| p).collect();
    assert_eq!(all.len(), pieces + 1, "{kind:?}: one polyline per piece and one in the legend");
    all.into_iter().take(pieces).collect()
}

#[track_caller]
fn assert_on_curve(points: &[(f64, f64)], frame: &Frame, f: impl Fn(f64) -> f64, df: impl Fn(f64) -> f64) {
    // A pixel in data units; drawn coordinates are rounded to whole pixels.
    let px = (frame.x_range.1 - frame.x_range.0) / (frame.right - frame.left);
    let py = (frame.y_range.1 - frame.y_range.0) / (frame.bottom - frame.top);
    for &(sx, sy) in points {
        assert!(sx >= frame.left - 0.5 && sx <= frame.right + 0.5, "x pixel {sx} outside the plot area");
        assert!(sy >= frame.top - 0.5 && sy <= frame.bottom + 0.5, "y pixel {sy} outside the plot area");
        let (x, y) = frame.to_data(sx, sy);
        let tolerance = 1.5 * py + 1.5 * px * df(x).abs();
        assert!((f(x) - y).abs() <= tolerance, "({x}, {y}) is not on the curve: f = {}", f(x));
    }
}

fn tutorial(options: PlotOptions) -> Plot {
    plot(&read("((w1*2)-5)^2").expect("formula"), &options).expect("plot")
}

#[test]
fn loss_derivative_tangent_and_critical_point() {
    let options =
        PlotOptions::new(Symbol::new("w1"), Q::from(-5), Q::from(10)).with_derivative(true).with_tangent_at(Q::one());
    let p = tutorial(options);
    let kinds: Vec<SeriesKind> = p.series.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [SeriesKind::Zero, SeriesKind::Function, SeriesKind::Derivative, SeriesKind::Tangent, SeriesKind::Critical]
    );
    let (_, frame, drawn) = svg_of(&p);
    // Every series colour is in the picture, and no other colour but black.
    let mut colours: Vec<&str> =
        drawn.polylines.iter().map(|(c, _)| c.as_str()).chain(drawn.circles.iter().map(|(c, _)| c.as_str())).collect();
    colours.sort_unstable();
    colours.dedup();
    let mut expected: Vec<&str> = kinds.iter().map(|k| k.color()).chain(["#000000"]).collect();
    expected.sort_unstable();
    assert_eq!(colours, expected);

    let f = |w: f64| (2.0 * w - 5.0).powi(2);
    let df = |w: f64| 8.0 * w - 20.0;
    let function = lines_of(&drawn, SeriesKind::Function, 1);
    assert!(function[0].len() > 300, "enough samples: {}", function[0].len());
    assert_on_curve(function[0], &frame, f, df);
    let derivative = lines_of(&drawn, SeriesKind::Derivative, 1);
    assert_on_curve(derivative[0], &frame, df, |_| 8.0);
    // The tangent at 1: f(1) = 9, f'(1) = −12, so y = 21 − 12·w1, clipped at the bottom.
    let tangent = lines_of(&drawn, SeriesKind::Tangent, 1);
    assert_on_curve(tangent[0], &frame, |w| 21.0 - 12.0 * w, |_| 12.0);
    let zero = lines_of(&drawn, SeriesKind::Zero, 1);
    assert_on_curve(zero[0], &frame, |_| 0.0, |_| 0.0);
    // The critical point (5/2, 0), and the point of tangency (1, 9).
    let marks: Vec<(f64, f64)> =
        drawn.circles.iter().filter(|(c, _)| c == SeriesKind::Critical.color()).map(|(_, p)| *p).collect();
    assert_eq!(marks.len(), 2, "the point and its legend sample");
    assert_on_curve(&marks[..1], &frame, f, |_| 0.0);
    let (x, _) = frame.to_data(marks[0].0, marks[0].1);
    assert!((x - 2.5).abs() < 0.05, "{x}");
    let touch: Vec<(f64, f64)> =
        drawn.circles.iter().filter(|(c, _)| c == SeriesKind::Tangent.color()).map(|(_, p)| *p).collect();
    assert_on_curve(&touch[..1], &frame, f, df);
}

#[test]
fn poles_and_undefined_parts_break_the_curve() {
    let p = plot(&read("1/x").expect("formula"), &PlotOptions::new(Symbol::new("x"), Q::from(-2), Q::from(2)))
        .expect("plot");
    let (_, frame, drawn) = svg_of(&p);
    let pieces = lines_of(&drawn, SeriesKind::Function, 2);
    let zero_pixel =
        frame.left + (0.0 - frame.x_range.0) / (frame.x_range.1 - frame.x_range.0) * (frame.right - frame.left);
    for piece in &pieces {
        let left = piece.iter().all(|p| p.0 <= zero_pixel);
        let right = piece.iter().all(|p| p.0 >= zero_pixel);
        assert!(left || right, "a piece crosses the pole at x = 0");
        assert_on_curve(piece, &frame, |x| 1.0 / x, |x| 1.0 / (x * x));
    }
    // ln(x) is undefined for x ≤ 0: the curve starts right of 0.
    let p = plot(&read("ln(x)").expect("formula"), &PlotOptions::new(Symbol::new("x"), Q::from(-1), Q::from(3)))
        .expect("plot");
    let f = p.series.iter().find(|s| s.kind == SeriesKind::Function).expect("function");
    assert_eq!(f.pieces.len(), 1);
    assert!(f.pieces[0].iter().all(|p| p.0 > 0.0));
    // tan(x) has poles at ±π/2 inside [-2, 2]: three pieces.
    let p = plot(&read("tan(x)").expect("formula"), &PlotOptions::new(Symbol::new("x"), Q::from(-2), Q::from(2)))
        .expect("plot");
    let f = p.series.iter().find(|s| s.kind == SeriesKind::Function).expect("function");
    assert_eq!(f.pieces.len(), 3, "{:?}", f.pieces.iter().map(Vec::len).collect::<Vec<_>>());
}

#[test]
fn a_descent_path_on_the_curve() {
    let path = [0.0, 2.0, 2.4, 2.48];
    let p = tutorial(PlotOptions::new(Symbol::new("w1"), Q::from(-1), Q::from(4)).with_descent(path.to_vec()));
    let (_, frame, drawn) = svg_of(&p);
    let marks: Vec<(f64, f64)> =
        drawn.circles.iter().filter(|(c, _)| c == SeriesKind::Descent.color()).map(|(_, p)| *p).collect();
    assert_eq!(marks.len(), path.len());
    for (mark, w) in marks.iter().zip(path) {
        let (x, _) = frame.to_data(mark.0, mark.1);
        assert!((x - w).abs() < 0.02, "{x} vs {w}");
    }
    assert_on_curve(&marks, &frame, |w| (2.0 * w - 5.0).powi(2), |w| 8.0 * w - 20.0);
    lines_of(&drawn, SeriesKind::Descent, 1);
}

#[test]
fn the_command_line_writes_svg_and_refuses_png() {
    let dir = std::env::temp_dir().join(format!("kobai-plot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let svg = dir.join("loss.svg");
    let svg = svg.to_str().expect("path");
    let out = ok(&[
        "plot",
        "((w1*x1)-target)^2",
        "--wrt",
        "w1",
        "--at",
        "x1=2,target=5",
        "--from",
        "0",
        "--to",
        "10",
        "-o",
        svg,
    ]);
    assert_eq!(out, format!("wrote {svg}: the zero line, the loss, 1 critical point\n"));
    parse(&std::fs::read_to_string(svg).expect("written"));
    let gradient = dir.join("gradient.svg");
    let gradient = gradient.to_str().expect("path");
    let out = ok(&[
        "plot",
        "((w1*x1)-target)^2",
        "--wrt",
        "w1",
        "--at",
        "x1=2,target=5",
        "--from",
        "-5",
        "--to",
        "10",
        "--derivative",
        "--tangent-at",
        "1",
        "-o",
        gradient,
    ]);
    assert!(out.contains("its derivative, the tangent at w1 = 1: 21 - 12*w1"), "{out}");
    let descent = dir.join("descent.svg");
    let descent = descent.to_str().expect("path");
    ok(&["descend", "(2*w1 - 5)^2", "--rate", "1/10", "--iterations", "6", "--plot", descent]);
    let drawn = parse(&std::fs::read_to_string(descent).expect("written"));
    assert_eq!(drawn.circles.iter().filter(|(c, _)| c == SeriesKind::Descent.color()).count(), 7);
    let several = dir.join("several.svg");
    ok(&["descend", "(w0 + 2*w1 - 5)^2 + w1^2", "--rate", "1/10", "--plot", several.to_str().expect("path")]);
    parse(&std::fs::read_to_string(&several).expect("written"));
    std::fs::remove_dir_all(&dir).ok();

    let err = fails(&["plot", "(2*w1 - 5)^2", "-o", "loss.png"], None);
    assert!(err.contains("not supported: PNG output"), "{err}");
    let err = fails(&["plot", "(w1*x1 - 5)^2", "--wrt", "w1"], None);
    assert!(err.contains("`x1` needs a value (with --at)"), "{err}");
    let err = fails(&["plot", "(w1*x1 - 5)^2"], None);
    assert!(err.contains("choose the variable with --wrt"), "{err}");
    let err = fails(&["plot", "w^2", "--from", "3", "--to", "1"], None);
    assert!(err.contains("the range must go from a smaller to a larger number"), "{err}");
}

#[test]
fn a_text_plot_for_the_terminal() {
    let run = kobai(&["plot", "(2*w1 - 5)^2", "--from", "0", "--to", "5", "--derivative", "--terminal"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "(2*w1 - 5)^2");
    assert_eq!(lines.iter().filter(|l| l.contains('|')).count(), 20, "{}", run.stdout);
    assert!(run.stdout.contains("  *  (2*w1 - 5)^2\n  +  d/dw1 = 8*w1 - 20\n"), "{}", run.stdout);
    // The minimum sits on the zero line, in the middle of the bottom part.
    assert!(lines.iter().any(|l| l.contains('@')), "{}", run.stdout);
}

/// The SVG's elements in order, with their colours and sizes and the text
/// they show, but none of the coordinates.
fn structure(svg: &str) -> String {
    let doc = roxmltree::Document::parse(svg).expect("XML");
    let mut out = Vec::new();
    let mut mesh = 0;
    for node in doc.descendants().filter(roxmltree::Node::is_element) {
        let a = |name: &str| node.attribute(name).unwrap_or("").to_ascii_lowercase();
        match node.tag_name().name() {
            "svg" => out.push(format!("svg {}x{}", a("width"), a("height"))),
            "line" => mesh += 1,
            "polyline" => {
                let n = a("points").split_whitespace().count();
                let shown = if n > 3 { "many".to_string() } else { n.to_string() };
                out.push(format!("polyline {} width {} points {shown}", a("stroke"), a("stroke-width")));
            }
            "circle" => out.push(format!("circle {} r {}", a("fill"), a("r"))),
            "rect" => out.push(format!("rect fill {}", a("fill"))),
            "text" => out.push(format!("text {:?}", node.text().unwrap_or("").trim())),
            other => out.push(other.to_string()),
        }
    }
    out.push(format!("{mesh} grid lines"));
    out.join("\n")
}

#[test]
fn svg_structure_snapshot() {
    let options =
        PlotOptions::new(Symbol::new("w1"), Q::from(-5), Q::from(10)).with_derivative(true).with_tangent_at(Q::one());
    let (svg, _, _) = svg_of(&tutorial(options));
    in_snapshot_folder(|| insta::assert_snapshot!("data__plot_svg_structure", structure(&svg)));
}
