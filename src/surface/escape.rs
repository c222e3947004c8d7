//! When a trajectory has escaped a saddle: the first point farther than `radius` from the saddle
//! whose loss is below the saddle's by more than `delta` (leaving the neighbourhood alone is not
//! enough, nor is a lower loss while still near it).
//!
//! `escape(trajectory, {center, radius, delta, surface})`: `surface` gives f(center), the
//! saddle's own loss, so that the answer never depends on how close a recorded point came.

use serde_json::{Map, Value};

use crate::spec::{any_numbers, describe_value, Field, Preset, Reader, SpecError};

use super::trajectory::{read_point, read_surface, SURFACE};

const CENTER: Field = Field::float_list("center", -1e6, 1e6, "The saddle [x, y]");
const RADIUS: Field = Field::float("radius", 0.0, 1e6, "How far from the center counts as away").min_open();
const DELTA: Field =
    Field::float("delta", 0.0, 1e12, "How far below f(center) the loss must be").default(Preset::Float(0.0));
const FIELDS: &[Field] = &[CENTER, RADIUS, DELTA, SURFACE];

/// An escape question about one trajectory.
#[derive(Clone, Debug, PartialEq)]
pub struct EscapeQuery {
    pub center: [f64; 2],
    pub radius: f64,
    /// f(center) − delta: a loss must be below it.
    pub threshold: f64,
}

impl EscapeQuery {
    /// Errors name the option (`center[1]`, `radius`, `surface`).
    pub fn parse(options: &Value) -> Result<Self, SpecError> {
        let obj = options.as_object().ok_or_else(|| {
            SpecError::new(
                "",
                format!("must be an object {{center, radius, delta, surface}}, got {}", describe_value(options)),
            )
        })?;
        let r = Reader::new(obj, FIELDS)?;
        let center = read_point(&r, &CENTER)?;
        let surface = read_surface(&r)?;
        let threshold = surface.value(center[0], center[1]) - r.float(&DELTA)?;
        Ok(Self { center, radius: r.float(&RADIUS)?, threshold })
    }

    /// The first index t with |(x[t], y[t]) − center| > radius and loss[t] < f(center) − delta.
    pub fn first_escape(&self, x: &[f64], y: &[f64], loss: &[f64]) -> Option<usize> {
        let [cx, cy] = self.center;
        let r2 = self.radius * self.radius;
        (0..x.len().min(y.len()).min(loss.len()))
            .find(|&t| (x[t] - cx) * (x[t] - cx) + (y[t] - cy) * (y[t] - cy) > r2 && loss[t] < self.threshold)
    }
}

/// The `x`, `y` and `loss` lists of a trajectory result (NaN and infinite values allowed: a
/// diverged run ends with them), of one length. Errors name the list (`x[3]`, `loss`).
pub fn read_trajectory(value: &Value) -> Result<[Vec<f64>; 3], SpecError> {
    let obj: &Map<String, Value> = value.as_object().ok_or_else(|| {
        SpecError::new("", format!("must be a trajectory {{x, y, loss, ...}}, got {}", describe_value(value)))
    })?;
    let list = |name: &str| -> Result<Vec<f64>, SpecError> {
        let value = obj.get(name).ok_or_else(|| SpecError::new(name, "is required: a list of numbers"))?;
        any_numbers(value, name)
    };
    let (x, y, loss) = (list("x")?, list("y")?, list("loss")?);
    for (name, values) in [("y", &y), ("loss", &loss)] {
        if values.len() != x.len() {
            return Err(SpecError::new(
                name,
                format!("must have as many values as x ({}), got {}", x.len(), values.len()),
            ));
        }
    }
    Ok([x, y, loss])
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn query(options: Value) -> EscapeQuery {
        EscapeQuery::parse(&options).unwrap()
    }

    #[test]
    fn the_first_point_both_away_and_below() {
        // bounded_saddle: f(0, 0) = 0; f(0, y) = y⁴/4 − y²/2.
        let q = query(json!({"center": [0, 0], "radius": 0.5, "delta": 0.1, "surface": "bounded_saddle"}));
        assert_eq!(q.threshold, -0.1);
        let x = [0.0, 0.0, 0.6, 0.0, 0.0, 0.0];
        let y = [0.1, 0.3, 0.0, 0.4, 0.7, 1.0];
        // Point 2 is away but its loss is above; point 3 is below... but still near (0.4 < 0.5);
        // point 4 is both: 0.7⁴/4 − 0.7²/2 = −0.185.
        let loss: Vec<f64> = [0.0, -0.2, 0.36, -0.2, -0.185, -0.25].to_vec();
        assert_eq!(q.first_escape(&x, &y, &loss), Some(4));
        assert_eq!(q.first_escape(&x[..4], &y[..4], &loss[..4]), None);
        // Exactly at the radius is not away; NaN losses never count.
        let q = query(json!({"center": [1, 1], "radius": 1, "surface": "bounded_saddle"}));
        assert_eq!(q.first_escape(&[2.0, 2.5, 3.0], &[1.0, 1.0, 1.0], &[-5.0, f64::NAN, -5.0]), Some(2));
    }

    #[test]
    fn a_real_escape_from_the_plateau() {
        use crate::surface::TrajectorySpec;
        let run = |schedule: Value| {
            TrajectorySpec::parse(&json!({
                "surface": "plateau_saddle", "start": [1.0, 0.05], "schedule": schedule, "steps": 1000,
            }))
            .unwrap()
            .run()
        };
        let q = query(json!({"center": [0, 0], "radius": 1, "delta": 0.5, "surface": "plateau_saddle"}));
        let escape = |schedule: Value| {
            let t = run(schedule);
            q.first_escape(&t.x, &t.y, &t.loss)
        };
        let constant = |lr: f64| json!({"kind": "Constant", "lr": lr});
        let cyclic =
            json!({"kind": "CyclicLR", "base_lr": 0.05, "max_lr": 0.5, "step_size_up": 50, "cycle_momentum": false});
        let (slow, fast, cycled) = (escape(constant(0.05)), escape(constant(0.5)), escape(cyclic));
        // lr 0.05 crawls for hundreds of updates; lr 0.5, or a cycle from 0.05 up to 0.5, escapes.
        assert_eq!((slow, fast, cycled), (Some(471), Some(50), Some(79)));
        assert_eq!(escape(constant(0.001)), None, "a tiny rate is still crawling after 1000 steps");
    }

    #[test]
    fn errors_name_the_option() {
        let err = |options: Value| EscapeQuery::parse(&options).err().unwrap().to_string();
        let ok = json!({"center": [0, 0], "radius": 1, "surface": "saddle"});
        let with = |k: &str, v: Value| {
            let mut o = ok.clone();
            o[k] = v;
            err(o)
        };
        assert_eq!(with("radius", json!(0)), "radius: must be a finite number in (0, 1000000], got 0");
        assert_eq!(with("delta", json!(-1)), "delta: must be a finite number in [0, 1000000000000], got -1");
        assert_eq!(
            with("center", json!([0, null])),
            "center[1]: must be a finite number in [-1000000, 1000000], got null"
        );
        assert_eq!(with("surface", json!("bowl")).split(" one of").next(), Some("surface: must be"));
        assert_eq!(err(json!({"center": [0, 0], "radius": 1})), "surface: is required: a surface name or {kind, ...}");
        assert_eq!(err(json!(null)), "must be an object {center, radius, delta, surface}, got null");
    }

    #[test]
    fn trajectories_read_with_their_non_finite_values() {
        let t = read_trajectory(
            &json!({"x": [0, 1], "y": [0, 2], "loss": [1, crate::spec::non_finite(f64::NAN)], "state": "diverged"}),
        )
        .unwrap();
        assert!(t[2][1].is_nan());
        let err = |v: Value| read_trajectory(&v).err().unwrap().to_string();
        assert_eq!(err(json!({"x": [0], "y": [0, 1], "loss": [0]})), "y: must have as many values as x (1), got 2");
        assert_eq!(err(json!({"x": [0], "y": [0], "loss": ["a"]})), "loss[0]: must be a number, got \"a\"");
        assert_eq!(err(json!({"x": [0], "y": [0]})), "loss: is required: a list of numbers");
        assert_eq!(err(json!({"x": 1, "y": [0], "loss": [0]})), "x: must be a list of numbers, got 1");
        assert_eq!(err(json!(7)), "must be a trajectory {x, y, loss, ...}, got 7");
    }
}
