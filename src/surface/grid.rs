//! A surface's values on a regular grid, for heatmaps and contours.

use serde_json::Value;

use crate::limits::MAX_SURFACE_GRID;
use crate::spec::{describe_fields, describe_value, fmt_num, Field, Reader, SpecError};

use super::surfaces::Surface;
use super::trajectory::{read_surface, SURFACE};

const X: Field = Field::float_list("x", -1e6, 1e6, "The grid's x range [lo, hi], both ends included");
const Y: Field = Field::float_list("y", -1e6, 1e6, "The grid's y range [lo, hi], both ends included");
const NX: Field = Field::int("nx", 2, MAX_SURFACE_GRID, "Grid points along x");
const NY: Field = Field::int("ny", 2, MAX_SURFACE_GRID, "Grid points along y");
const FIELDS: &[Field] = &[SURFACE, X, Y, NX, NY];

/// `surfaceGrid`'s fields, for the package's types (`tests/native/typescript.rs`).
pub fn grid_fields_json() -> Value {
    describe_fields(FIELDS)
}

/// `{surface, x: [lo, hi], y: [lo, hi], nx, ny}`, validated.
pub struct GridSpec {
    pub surface: Surface,
    pub x: [f64; 2],
    pub y: [f64; 2],
    pub nx: usize,
    pub ny: usize,
}

fn range(r: &Reader, field: &Field) -> Result<[f64; 2], SpecError> {
    match r.float_list(field)?[..] {
        [lo, hi] if lo < hi => Ok([lo, hi]),
        [lo, hi] => {
            Err(r.error(field, format!("must be [lo, hi] with lo < hi, got [{}, {}]", fmt_num(lo), fmt_num(hi))))
        }
        ref other => Err(r.error(field, format!("must be a range [lo, hi], got {} numbers", other.len()))),
    }
}

impl GridSpec {
    /// Errors name the option (`nx`, `x[1]`, `surface.kappa`).
    pub fn parse(options: &Value) -> Result<Self, SpecError> {
        let obj = options.as_object().ok_or_else(|| {
            SpecError::new("", format!("must be an object {{surface, x, y, nx, ny}}, got {}", describe_value(options)))
        })?;
        let r = Reader::new(obj, FIELDS)?;
        Ok(Self {
            surface: read_surface(&r)?,
            x: range(&r, &X)?,
            y: range(&r, &Y)?,
            nx: r.int(&NX)? as usize,
            ny: r.int(&NY)? as usize,
        })
    }

    /// Row-major from (x_lo, y_lo), x fastest: value `j · nx + i` is at
    /// (x_lo + i (x_hi − x_lo) / (nx − 1), y_lo + j (y_hi − y_lo) / (ny − 1)).
    pub fn values(&self) -> Vec<f64> {
        let at = |[lo, hi]: [f64; 2], n: usize, i: usize| lo + (hi - lo) * i as f64 / (n - 1) as f64;
        let mut values = Vec::with_capacity(self.nx * self.ny);
        for j in 0..self.ny {
            let y = at(self.y, self.ny, j);
            values.extend((0..self.nx).map(|i| self.surface.value(at(self.x, self.nx, i), y)));
        }
        values
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_run_x_fastest_from_the_low_corner() {
        let grid = GridSpec::parse(&json!({"surface": "saddle", "x": [-1, 1], "y": [0, 2], "nx": 3, "ny": 2})).unwrap();
        // x² − y² at x ∈ {-1, 0, 1}, y ∈ {0, 2}.
        assert_eq!(grid.values(), vec![1.0, 0.0, 1.0, -3.0, -4.0, -3.0]);
    }

    #[test]
    fn errors_name_the_option() {
        let err = |extra: Value| {
            let mut o = json!({"surface": "beale", "x": [-1, 1], "y": [-1, 1], "nx": 8, "ny": 8});
            for (k, v) in extra.as_object().unwrap() {
                o[k] = v.clone();
            }
            GridSpec::parse(&o).err().unwrap().to_string()
        };
        assert_eq!(err(json!({"nx": 1})), "nx: must be an integer in [2, 1024], got 1");
        assert_eq!(err(json!({"ny": 1025})), "ny: must be an integer in [2, 1024], got 1025");
        assert_eq!(err(json!({"x": [1, 1]})), "x: must be [lo, hi] with lo < hi, got [1, 1]");
        assert_eq!(err(json!({"y": [0]})), "y: must be a range [lo, hi], got 1 numbers");
        assert_eq!(err(json!({"x": [0, 1e7]})), "x[1]: must be a finite number in [-1000000, 1000000], got 10000000");
        assert_eq!(
            err(json!({"surface": {"kind": "quadratic", "kappa": -1}})),
            "surface.kappa: must be a finite number in [0.001, 10000], got -1"
        );
        assert_eq!(
            GridSpec::parse(&json!([])).err().unwrap().to_string(),
            "must be an object {surface, x, y, nx, ny}, got []"
        );
    }
}
