//! The analytic 2-D loss surfaces: each with its exact gradient, its domain (leaving it counts as
//! diverging), its minima and saddles, and the view and start a page opens it with.
//!
//! A surface spec is its name (`"rosenbrock"`) or an object `{kind: "quadratic", kappa: 100}`.
//! Test functions as in Surjanovic & Bingham's Virtual Library of Simulation Experiments
//! (Rosenbrock, Beale, Himmelblau, Rastrigin, Ackley) and Dauphin et al. 2014, "Identifying and
//! attacking the saddle point problem" (saddles).

use std::f64::consts::{E, PI};

use libm::{cos, exp, sin, sqrt};
use serde_json::{json, Value};

use crate::spec::{describe_value, Field, Preset, Reader, SpecError};

/// An axis-aligned box `[[x_lo, x_hi], [y_lo, y_hi]]`.
pub type Bounds = [[f64; 2]; 2];

type Build = fn(&Reader) -> Result<Shape, SpecError>;

/// A surface kind: what `surfaces()` lists, and how a spec of it builds.
#[derive(Debug)]
pub struct SurfaceKind {
    pub name: &'static str,
    pub title: &'static str,
    /// Plain text, as a caption shows it.
    pub formula: &'static str,
    /// Fields a spec object may give besides `kind`.
    pub params: &'static [Field],
    /// Beyond this box an iterate counts as diverged.
    pub domain: Bounds,
    pub view: Bounds,
    pub start: [f64; 2],
    pub minima: &'static [[f64; 2]],
    pub saddles: &'static [[f64; 2]],
    build: Build,
}

impl SurfaceKind {
    fn describe(&self) -> Value {
        let range = |b: [f64; 2]| json!(b);
        json!({
            "name": self.name,
            "title": self.title,
            "formula": self.formula,
            "params": self.params.iter().map(Field::describe).collect::<Vec<_>>(),
            "domain": {"x": range(self.domain[0]), "y": range(self.domain[1])},
            "view": {"x": range(self.view[0]), "y": range(self.view[1])},
            "start": self.start,
            "minima": self.minima,
            "saddles": self.saddles,
        })
    }
}

/// The formula of a surface, with its parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Shape {
    Quadratic { kappa: f64 },
    Saddle,
    MonkeySaddle,
    BoundedSaddle,
    Rosenbrock,
    Beale,
    Himmelblau,
    Rastrigin,
    Ackley,
    PlateauSaddle,
}

/// A validated surface: its kind and formula.
#[derive(Clone, Copy, Debug)]
pub struct Surface {
    pub kind: &'static SurfaceKind,
    shape: Shape,
}

const KAPPA: Field = Field::float("kappa", 1e-3, 1e4, "Condition number: the curvature along y over that along x")
    .log()
    .default(Preset::Float(10.0));

/// The plateau's wells: 2-D Gaussians of width `PLATEAU_WIDTH` centred at (0, ±`PLATEAU_OFFSET`).
const PLATEAU_OFFSET: f64 = 2.5;
const PLATEAU_WIDTH: f64 = 0.8;

/// ±`BIG` on both axes: a box no trajectory of a bounded-below surface leaves unless it diverges.
const BIG: Bounds = [[-100.0, 100.0], [-100.0, 100.0]];
const fn square(half: f64) -> Bounds {
    [[-half, half], [-half, half]]
}

pub const KINDS: &[SurfaceKind] = &[
    SurfaceKind {
        name: "quadratic",
        title: "Ill-conditioned quadratic",
        formula: "0.5 (x^2 + kappa y^2)",
        params: &[KAPPA],
        domain: square(1000.0),
        view: square(2.0),
        start: [-1.8, 1.2],
        minima: &[[0.0, 0.0]],
        saddles: &[],
        build: |r| Ok(Shape::Quadratic { kappa: r.float(&KAPPA)? }),
    },
    SurfaceKind {
        name: "saddle",
        title: "Saddle",
        formula: "x^2 - y^2",
        params: &[],
        domain: square(50.0),
        view: square(2.0),
        start: [1.5, 0.01],
        minima: &[],
        saddles: &[[0.0, 0.0]],
        build: |_| Ok(Shape::Saddle),
    },
    SurfaceKind {
        name: "monkey_saddle",
        title: "Monkey saddle",
        formula: "x^3 - 3 x y^2",
        params: &[],
        domain: square(20.0),
        view: square(1.5),
        start: [1.0, 0.3],
        minima: &[],
        saddles: &[[0.0, 0.0]],
        build: |_| Ok(Shape::MonkeySaddle),
    },
    SurfaceKind {
        name: "bounded_saddle",
        title: "Saddle between two minima",
        formula: "x^2 + y^4 / 4 - y^2 / 2",
        params: &[],
        domain: BIG,
        view: square(2.0),
        start: [1.5, 0.001],
        minima: &[[0.0, -1.0], [0.0, 1.0]],
        saddles: &[[0.0, 0.0]],
        build: |_| Ok(Shape::BoundedSaddle),
    },
    SurfaceKind {
        name: "rosenbrock",
        title: "Rosenbrock's valley",
        formula: "(1 - x)^2 + 100 (y - x^2)^2",
        params: &[],
        domain: BIG,
        view: [[-2.0, 2.0], [-1.0, 3.0]],
        start: [-1.2, 1.0],
        minima: &[[1.0, 1.0]],
        saddles: &[],
        build: |_| Ok(Shape::Rosenbrock),
    },
    SurfaceKind {
        name: "beale",
        title: "Beale",
        formula: "(1.5 - x + x y)^2 + (2.25 - x + x y^2)^2 + (2.625 - x + x y^3)^2",
        params: &[],
        domain: square(50.0),
        view: square(4.5),
        start: [1.0, 1.5],
        minima: &[[3.0, 0.5]],
        saddles: &[[0.0, 1.0]],
        build: |_| Ok(Shape::Beale),
    },
    SurfaceKind {
        name: "himmelblau",
        title: "Himmelblau",
        formula: "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        params: &[],
        domain: BIG,
        view: square(5.0),
        start: [0.0, 0.0],
        minima: &[
            [3.0, 2.0],
            [-2.805118086952745, 3.131312518250573],
            [-3.779310253377747, -3.283185991286169],
            [3.5844283403304917, -1.8481265269644034],
        ],
        saddles: &[
            [0.08667750455539634, 2.884254701174776],
            [-3.0730257507643897, -0.08135304428796751],
            [3.385154183607021, 0.07385187983774928],
            [-0.12796134673068005, -1.9537149802445766],
        ],
        build: |_| Ok(Shape::Himmelblau),
    },
    SurfaceKind {
        name: "rastrigin",
        title: "Rastrigin",
        formula: "20 + (x^2 - 10 cos 2 pi x) + (y^2 - 10 cos 2 pi y)",
        params: &[],
        domain: BIG,
        view: square(5.12),
        start: [3.3, -2.6],
        // Global minimum only: a local minimum sits near every integer point, a saddle near
        // every point with one half-integer coordinate.
        minima: &[[0.0, 0.0]],
        saddles: &[],
        build: |_| Ok(Shape::Rastrigin),
    },
    SurfaceKind {
        name: "ackley",
        title: "Ackley",
        formula: "-20 exp(-0.2 sqrt((x^2 + y^2) / 2)) - exp((cos 2 pi x + cos 2 pi y) / 2) + e + 20",
        params: &[],
        domain: BIG,
        view: square(5.0),
        start: [3.2, -2.3],
        // Global minimum only: ripples make local minima near the integer points.
        minima: &[[0.0, 0.0]],
        saddles: &[],
        build: |_| Ok(Shape::Ackley),
    },
    SurfaceKind {
        name: "plateau_saddle",
        title: "Saddle on a plateau",
        formula: "-exp(-(x^2 + (y - 2.5)^2) / 1.28) - exp(-(x^2 + (y + 2.5)^2) / 1.28)",
        params: &[],
        domain: square(20.0),
        view: square(4.0),
        start: [1.0, 0.05],
        // (0, ±y*) with ((y* - 2.5) e₊ + (y* + 2.5) e₋) = 0: the other well pulls each in by 1.6e-8.
        minima: &[[0.0, -2.4999999835314273], [0.0, 2.4999999835314273]],
        saddles: &[[0.0, 0.0]],
        build: |_| Ok(Shape::PlateauSaddle),
    },
];

/// The surface kind field of a spec object.
const KIND: Field = Field::choice(
    "kind",
    &[
        "quadratic",
        "saddle",
        "monkey_saddle",
        "bounded_saddle",
        "rosenbrock",
        "beale",
        "himmelblau",
        "rastrigin",
        "ackley",
        "plateau_saddle",
    ],
    "The analytic surface",
);

/// Every surface kind as `surfaces()` gives it to JS.
pub fn surfaces_json() -> Value {
    Value::Array(KINDS.iter().map(SurfaceKind::describe).collect())
}

impl Surface {
    /// A name, or `{kind, ...params}`. Errors are relative to the spec (`kind`, `kappa`; empty:
    /// the spec itself).
    pub fn from_spec(spec: &Value) -> Result<Self, SpecError> {
        let no_params = serde_json::Map::new();
        let (obj, kind) = match spec {
            Value::String(_) => {
                let named = serde_json::Map::from_iter([("kind".to_string(), spec.clone())]);
                let name = Reader::kind_name(&named, &KIND).map_err(|e| SpecError::new("", e.into_parts().message))?;
                (&no_params, name)
            }
            Value::Object(obj) => (obj, Reader::kind_name(obj, &KIND)?),
            other => {
                return Err(SpecError::new(
                    "",
                    format!("must be a surface name or {{kind, ...}}, got {}", describe_value(other)),
                ))
            }
        };
        let kind = KINDS.iter().find(|k| k.name == kind).ok_or_else(|| SpecError::new("kind", "has no surface"))?;
        let fields: Vec<Field> = std::iter::once(KIND).chain(kind.params.iter().copied()).collect();
        let reader = Reader::new(obj, &fields)?;
        Ok(Surface { kind, shape: (kind.build)(&reader)? })
    }

    pub fn name(&self) -> &'static str {
        self.kind.name
    }

    /// Whether (x, y) is finite and inside the surface's domain.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        let [[x_lo, x_hi], [y_lo, y_hi]] = self.kind.domain;
        (x_lo..=x_hi).contains(&x) && (y_lo..=y_hi).contains(&y)
    }

    pub fn value(&self, x: f64, y: f64) -> f64 {
        match self.shape {
            Shape::Quadratic { kappa } => 0.5 * (x * x + kappa * y * y),
            Shape::Saddle => x * x - y * y,
            Shape::MonkeySaddle => x * x * x - 3.0 * x * y * y,
            Shape::BoundedSaddle => x * x + y * y * y * y / 4.0 - y * y / 2.0,
            Shape::Rosenbrock => (1.0 - x) * (1.0 - x) + 100.0 * (y - x * x) * (y - x * x),
            Shape::Beale => {
                let [a, b, c] = beale_terms(x, y);
                a * a + b * b + c * c
            }
            Shape::Himmelblau => {
                let (a, b) = (x * x + y - 11.0, x + y * y - 7.0);
                a * a + b * b
            }
            Shape::Rastrigin => 20.0 + (x * x - 10.0 * cos(2.0 * PI * x)) + (y * y - 10.0 * cos(2.0 * PI * y)),
            Shape::Ackley => {
                let r = sqrt(0.5 * (x * x + y * y));
                -20.0 * exp(-0.2 * r) - exp(0.5 * (cos(2.0 * PI * x) + cos(2.0 * PI * y))) + E + 20.0
            }
            Shape::PlateauSaddle => {
                let [upper, lower] = plateau_wells(x, y);
                -upper - lower
            }
        }
    }

    /// The exact gradient (Ackley's cone point at the origin takes 0, its minimum's subgradient).
    pub fn gradient(&self, x: f64, y: f64) -> [f64; 2] {
        match self.shape {
            Shape::Quadratic { kappa } => [x, kappa * y],
            Shape::Saddle => [2.0 * x, -2.0 * y],
            Shape::MonkeySaddle => [3.0 * x * x - 3.0 * y * y, -6.0 * x * y],
            Shape::BoundedSaddle => [2.0 * x, y * y * y - y],
            Shape::Rosenbrock => [-2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)],
            Shape::Beale => {
                let [a, b, c] = beale_terms(x, y);
                [
                    2.0 * a * (y - 1.0) + 2.0 * b * (y * y - 1.0) + 2.0 * c * (y * y * y - 1.0),
                    2.0 * a * x + 4.0 * b * x * y + 6.0 * c * x * y * y,
                ]
            }
            Shape::Himmelblau => {
                let (a, b) = (x * x + y - 11.0, x + y * y - 7.0);
                [4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b]
            }
            Shape::Rastrigin => [2.0 * x + 20.0 * PI * sin(2.0 * PI * x), 2.0 * y + 20.0 * PI * sin(2.0 * PI * y)],
            Shape::Ackley => {
                let r = sqrt(0.5 * (x * x + y * y));
                // d/dx of -20 exp(-0.2 r) = 4 exp(-0.2 r) * x / (2 r).
                let cone = if r > 0.0 { 2.0 * exp(-0.2 * r) / r } else { 0.0 };
                let ripple = PI * exp(0.5 * (cos(2.0 * PI * x) + cos(2.0 * PI * y)));
                [cone * x + ripple * sin(2.0 * PI * x), cone * y + ripple * sin(2.0 * PI * y)]
            }
            Shape::PlateauSaddle => {
                let [upper, lower] = plateau_wells(x, y);
                let s2 = PLATEAU_WIDTH * PLATEAU_WIDTH;
                [x * (upper + lower) / s2, ((y - PLATEAU_OFFSET) * upper + (y + PLATEAU_OFFSET) * lower) / s2]
            }
        }
    }
}

/// Beale's three squared terms, before squaring.
fn beale_terms(x: f64, y: f64) -> [f64; 3] {
    [1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y * y * y]
}

/// The plateau's two Gaussian wells at (x, y): the one at (0, +2.5), the one at (0, -2.5).
///
/// `plateau_saddle` is -(well₊ + well₋) with wells exp(-(x² + (y ∓ 2.5)²) / (2 · 0.8²)): far from
/// both the surface is flat at 0; between them, around the saddle at the origin (value -0.0152,
/// curvature -0.208 along y and +0.024 along x), the gradient is tiny but nonzero (|∇f| < 0.05
/// within 1 of the origin), and the two minima at (0, ±2.49999998) have value -1 and curvature
/// 1.5625. Plain gradient descent from (1, 0.05) first gets farther than 1 from the saddle
/// with a loss 0.5 below it after 471 updates at lr 0.05, 50 at lr 0.5, 79 under a CyclicLR
/// between the two (step_size_up 50); at lr 0.001 it is still on the plateau after 1000.
fn plateau_wells(x: f64, y: f64) -> [f64; 2] {
    let two_s2 = 2.0 * PLATEAU_WIDTH * PLATEAU_WIDTH;
    let well = |centre: f64| exp(-(x * x + (y - centre) * (y - centre)) / two_s2);
    [well(PLATEAU_OFFSET), well(-PLATEAU_OFFSET)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface(spec: Value) -> Surface {
        Surface::from_spec(&spec).unwrap_or_else(|e| panic!("{spec}: {e}"))
    }

    fn every_surface() -> Vec<Surface> {
        let mut all: Vec<Surface> = KINDS.iter().map(|k| surface(json!(k.name))).collect();
        all.push(surface(json!({"kind": "quadratic", "kappa": 1000})));
        all
    }

    /// Central differences with a step scaled to the point, against the exact gradient.
    #[test]
    fn gradients_match_central_differences() {
        let points = [[0.3, -0.7], [-1.2, 1.0], [1.7, 0.4], [-2.1, -1.3], [0.05, 2.2], [2.9, 0.55]];
        for s in every_surface() {
            for [x, y] in points {
                let g = s.gradient(x, y);
                let h = 1e-6;
                let dx = (s.value(x + h, y) - s.value(x - h, y)) / (2.0 * h);
                let dy = (s.value(x, y + h) - s.value(x, y - h)) / (2.0 * h);
                for (exact, numeric) in [(g[0], dx), (g[1], dy)] {
                    let scale = 1.0 + exact.abs();
                    assert!(
                        (exact - numeric).abs() < 1e-6 * scale,
                        "{} at ({x}, {y}): {g:?} vs ({dx}, {dy})",
                        s.name()
                    );
                }
            }
        }
    }

    /// Every listed minimum and saddle is stationary, and the Hessian's signs say which it is.
    #[test]
    fn listed_minima_and_saddles_are_what_they_say() {
        for s in every_surface() {
            let hessian_det_trace = |x: f64, y: f64| {
                let h = 1e-5;
                let gx = |dx: f64, dy: f64| s.gradient(x + dx, y + dy);
                let (a, b) = (gx(h, 0.0), gx(-h, 0.0));
                let (c, d) = (gx(0.0, h), gx(0.0, -h));
                let (hxx, hxy, hyy) = ((a[0] - b[0]) / (2.0 * h), (c[0] - d[0]) / (2.0 * h), (c[1] - d[1]) / (2.0 * h));
                (hxx * hyy - hxy * hxy, hxx + hyy)
            };
            for &[x, y] in s.kind.minima {
                let g = s.gradient(x, y);
                assert!(g[0].abs() < 1e-9 && g[1].abs() < 1e-9, "{} minimum ({x}, {y}): {g:?}", s.name());
                let (det, trace) = hessian_det_trace(x, y);
                assert!(det > 0.0 && trace > 0.0 || s.name() == "ackley", "{} minimum ({x}, {y})", s.name());
            }
            for &[x, y] in s.kind.saddles {
                let g = s.gradient(x, y);
                assert!(g[0].abs() < 1e-9 && g[1].abs() < 1e-9, "{} saddle ({x}, {y}): {g:?}", s.name());
                let (det, _) = hessian_det_trace(x, y);
                // The monkey saddle is degenerate: its Hessian vanishes.
                assert!(det < 0.0 || s.name() == "monkey_saddle", "{} saddle ({x}, {y}): det {det}", s.name());
            }
            assert!(s.contains(s.kind.start[0], s.kind.start[1]), "{} starts inside its domain", s.name());
        }
    }

    #[test]
    fn known_values() {
        let value = |spec: Value, x: f64, y: f64| surface(spec).value(x, y);
        assert_eq!(value(json!("rosenbrock"), 1.0, 1.0), 0.0);
        assert_eq!(value(json!("rosenbrock"), 0.0, 0.0), 1.0);
        assert_eq!(value(json!("beale"), 3.0, 0.5), 0.0);
        assert_eq!(value(json!("himmelblau"), 3.0, 2.0), 0.0);
        assert_eq!(value(json!("rastrigin"), 0.0, 0.0), 0.0);
        assert!(value(json!("ackley"), 0.0, 0.0).abs() < 1e-15);
        assert_eq!(value(json!({"kind": "quadratic", "kappa": 4}), 1.0, 1.0), 2.5);
        assert_eq!(value(json!("quadratic"), 0.0, 1.0), 5.0, "kappa defaults to 10");
        assert_eq!(value(json!("bounded_saddle"), 0.0, 1.0), -0.25);
        assert_eq!(surface(json!("ackley")).gradient(0.0, 0.0), [0.0, 0.0]);
        let plateau = surface(json!("plateau_saddle"));
        assert!((plateau.value(0.0, 0.0) + 0.0151513548885).abs() < 1e-12);
        let g = plateau.gradient(0.5, 0.2);
        let norm = (g[0] * g[0] + g[1] * g[1]).sqrt();
        assert!(norm > 1e-3 && norm < 0.05, "small but nonzero on the plateau: {norm}");
    }

    #[test]
    fn specs_are_a_name_or_an_object() {
        let err = |spec: Value| Surface::from_spec(&spec).err().unwrap().to_string();
        let names = "quadratic | saddle | monkey_saddle | bounded_saddle | rosenbrock | beale | himmelblau | rastrigin | ackley | plateau_saddle";
        assert_eq!(err(json!("bowl")), format!("must be one of {names}, got \"bowl\""));
        assert_eq!(err(json!({"kind": "bowl"})), format!("kind: must be one of {names}, got \"bowl\""));
        assert_eq!(err(json!({"kappa": 3})), format!("kind: is required: one of {names}"));
        assert_eq!(err(json!(3)), "must be a surface name or {kind, ...}, got 3");
        assert_eq!(
            err(json!({"kind": "quadratic", "kappa": 0})),
            "kappa: must be a finite number in [0.001, 10000], got 0"
        );
        assert_eq!(err(json!({"kind": "rosenbrock", "kappa": 3})), "kappa: unknown field (allowed: kind)");
        assert_eq!(surface(json!({"kind": "saddle"})).name(), "saddle");
    }

    #[test]
    fn the_table_lists_every_kind_once_with_its_metadata() {
        let FieldType::Choice(names) = KIND.ty else { panic!("KIND is a choice") };
        assert_eq!(names.to_vec(), KINDS.iter().map(|k| k.name).collect::<Vec<_>>());
        let listed = surfaces_json();
        let quadratic = &listed[0];
        assert_eq!(quadratic["params"][0]["name"], "kappa");
        assert_eq!(quadratic["params"][0]["default"], json!(10.0));
        assert_eq!(quadratic["domain"], json!({"x": [-1000.0, 1000.0], "y": [-1000.0, 1000.0]}));
        assert_eq!(listed[3]["minima"], json!([[0.0, -1.0], [0.0, 1.0]]));
        assert_eq!(listed.as_array().map(Vec::len), Some(10));
    }

    use crate::spec::FieldType;
}
