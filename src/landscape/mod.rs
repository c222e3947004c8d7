//! The network's own loss landscape (Li et al. 2018, "Visualizing the Loss Landscape of Neural
//! Nets"): the loss on a plane through a run's parameters spanned by two filter-normalised random
//! directions, and the plane a training path lies closest to (PCA of its snapshots), each
//! evaluated in one `Session::evaluate_params` pass over every grid point. And the plateau race
//! (`plateau`): schedules racing to leave a deep narrow network's saddle plateau.
//!
//! Each call is prepared first (options read, sizes bounded, points built: every refusal
//! happens there), then evaluated.

pub mod directions;
pub mod pca;
pub mod plane;
pub mod plateau;

use serde_json::{json, Value};

use crate::engine::{EvalSet, Session};
use crate::limits::{
    MAX_CALL_WORK, MAX_EVAL_VALUES, MAX_GRAM_WORK, MAX_SNAPSHOTS, TOO_MUCH_WORK, TOO_MUCH_WORK_OR_MEMORY,
};
use crate::spec::{describe_fields, names, options_object, Field, Preset, Reader, SpecError};

const RUN: Field =
    Field::int("run", 0, u32::MAX as u64, "The run whose parameters are the centre").default(Preset::Int(0));
/// The smallest grid with a centre and a point either side of it.
const SMALLEST_GRID: usize = 3;
const GRID: Field =
    Field::int("grid", SMALLEST_GRID as u64, 51, "Points per side of the square grid (odd: the centre is a point)")
        .default(Preset::Int(25));
const SPAN: Field = Field::float("span", 0.0, 100.0, "The grid covers -span..span along each direction")
    .min_open()
    .default(Preset::Float(1.0));
const SEED: Field = Field::int("seed", 0, u32::MAX as u64, "Seeds the two random directions").default(Preset::Int(0));
/// The data sets a loss is measured on, by their names in options.
pub const EVAL_SETS: [(EvalSet, &str); 2] = [(EvalSet::Train, "train"), (EvalSet::Validation, "validation")];
pub const EVAL_SET_NAMES: [&str; 2] = names(&EVAL_SETS);
const SET: Field = Field::choice(
    "set",
    &EVAL_SET_NAMES,
    "The data the loss is measured on (validation falls back to train when there are no validation rows)",
)
.default(Preset::Choice("validation"));
const BIASES: Field = Field::boolean(
    "biases",
    "Move the biases too (each layer's bias vector normalised as one filter); by default they stay put",
)
.default(Preset::Bool(false));
const MARGIN: Field = Field::float("margin", 0.0, 10.0, "Room around the path, as a share of its larger extent")
    .default(Preset::Float(0.25));
const LANDSCAPE_FIELDS: &[Field] = &[RUN, GRID, SPAN, SEED, SET, BIASES];
const TRAJECTORY_FIELDS: &[Field] = &[GRID, MARGIN, SET];

/// The fields of `landscape`, `projectTrajectory` and the plateau race, for the package's types
/// (`tests/native/typescript.rs`).
pub fn fields_json() -> Value {
    json!({
        "landscape": describe_fields(LANDSCAPE_FIELDS),
        "trajectory": describe_fields(TRAJECTORY_FIELDS),
        "plateau_race": plateau::fields_json(),
    })
}

#[derive(Clone, Debug, PartialEq)]
pub struct LandscapeOptions {
    pub run: usize,
    pub grid: usize,
    pub span: f64,
    pub seed: u64,
    /// `None`: the validation set, or the training set when there are no validation rows.
    pub set: Option<EvalSet>,
    pub biases: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TrajectoryOptions {
    pub grid: usize,
    pub margin: f64,
    pub set: Option<EvalSet>,
}

/// `options` as an object (`null`: every default); errors name the field relative to it.
fn reader<'v>(
    options: &'v Value,
    fields: &[Field],
    empty: &'v serde_json::Map<String, Value>,
) -> Result<Reader<'v>, SpecError> {
    Reader::new(options_object(options, empty)?, fields)
}

fn grid(r: &Reader) -> Result<usize, SpecError> {
    let grid = r.int(&GRID)? as usize;
    if grid.is_multiple_of(2) {
        return Err(r.error(&GRID, format!("must be odd (the centre is a grid point), got {grid}")));
    }
    Ok(grid)
}

fn set(r: &Reader) -> Result<Option<EvalSet>, SpecError> {
    let set = r.pick(&SET, &EVAL_SETS)?;
    Ok(r.given(&SET).map(|_| set))
}

impl LandscapeOptions {
    /// `{run?, grid?, span?, seed?, set?, biases?}` for a session of `runs` runs.
    pub fn parse(options: &Value, runs: usize) -> Result<Self, SpecError> {
        let empty = serde_json::Map::new();
        let r = reader(options, LANDSCAPE_FIELDS, &empty)?;
        let run = r.int(&RUN)? as usize;
        if run >= runs {
            return Err(r.error(&RUN, format!("must be an integer in [0, {}], got {run}", runs.saturating_sub(1))));
        }
        let span = r.float(&SPAN)?;
        Ok(Self { run, grid: grid(&r)?, span, seed: r.int(&SEED)?, set: set(&r)?, biases: r.boolean(&BIASES)? })
    }
}

impl TrajectoryOptions {
    /// `{grid?, margin?, set?}`.
    pub fn parse(options: &Value) -> Result<Self, SpecError> {
        let empty = serde_json::Map::new();
        let r = reader(options, TRAJECTORY_FIELDS, &empty)?;
        Ok(Self { grid: grid(&r)?, margin: r.float(&MARGIN)?, set: set(&r)? })
    }
}

/// The set asked for, or by default the validation set where it has rows.
fn resolve_set(session: &Session, asked: Option<EvalSet>) -> Result<EvalSet, SpecError> {
    let has_validation = !session.eval_set(EvalSet::Validation).is_empty();
    match asked {
        None if has_validation => Ok(EvalSet::Validation),
        None => Ok(EvalSet::Train),
        Some(EvalSet::Validation) if !has_validation => {
            Err(SpecError::new(SET.name, "must be \"train\": this session has no validation rows"))
        }
        Some(set) => Ok(set),
    }
}

/// Refuses a grid that `evaluateParams` would refuse as points, naming `grid` and the largest odd
/// grid that fits.
fn check_grid_size(session: &Session, grid: usize, set: EvalSet) -> Result<(), SpecError> {
    let (p, rows) = (session.mlp().param_count(), session.eval_set(set).len());
    let fits = |g: usize| {
        let points = g * g;
        points * p <= MAX_EVAL_VALUES && points as f64 * rows as f64 * p as f64 <= MAX_CALL_WORK
    };
    if fits(grid) {
        return Ok(());
    }
    let message = match (SMALLEST_GRID..grid).rev().find(|&g| g % 2 == 1 && fits(g)) {
        Some(most) => format!("must be at most {most} for this network and data set {TOO_MUCH_WORK_OR_MEMORY}, got {grid}"),
        None => format!("has no size that fits this network and data set: even {SMALLEST_GRID} would be too much work or memory to run at once, got {grid}"),
    };
    Err(SpecError::new(GRID.name, message))
}

/// The loss (and accuracy, for classification) on a grid, row-major `[j][i]` with i along the
/// first direction.
#[derive(Clone, Debug, PartialEq)]
pub struct GridLoss {
    pub loss: Vec<f32>,
    pub accuracy: Option<Vec<f32>>,
}

/// A plane of points ready to evaluate.
struct PlaneGrid {
    points: Vec<f32>,
    set: EvalSet,
}

impl PlaneGrid {
    async fn evaluate(self, session: &mut Session) -> GridLoss {
        let evaluations = session.evaluate_params(&self.points, self.set).await;
        GridLoss {
            loss: evaluations.iter().map(|e| e.loss).collect(),
            accuracy: evaluations.iter().map(|e| e.accuracy).collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Landscape {
    pub grid: usize,
    pub span: f64,
    /// `-span..span`, `grid` values, the middle exactly 0.
    pub coords: Vec<f64>,
    pub values: GridLoss,
    /// The loss at the run's own parameters (the grid's centre).
    pub center_loss: f32,
    pub directions: [Vec<f32>; 2],
    pub set: EvalSet,
}

/// A landscape whose points are built; `evaluate` measures them.
pub struct PreparedLandscape {
    grid: usize,
    span: f64,
    coords: Vec<f64>,
    directions: [Vec<f32>; 2],
    plane: PlaneGrid,
}

/// Everything `landscape` can refuse, refused here, before any evaluation.
pub fn prepare_landscape(session: &Session, options: &LandscapeOptions) -> Result<PreparedLandscape, SpecError> {
    let set = resolve_set(session, options.set)?;
    check_grid_size(session, options.grid, set)?;
    let theta = session.params(options.run);
    let directions = directions::random_pair(session.mlp(), theta, options.seed, options.biases);
    // Finite parameters whose filter norms overflow f32 (weights near its limits, set by a
    // caller) would give infinite directions; a diverged run's NaN ones stay its own state.
    let finite = |v: &[f32]| v.iter().all(|x| x.is_finite());
    if finite(theta) && !directions.iter().all(|d| finite(d)) {
        return Err(SpecError::new(
            "run",
            format!("run {}'s parameters are too large for filter-normalised directions (a filter's norm overflows float32)", options.run),
        ));
    }
    let coords = plane::linspace(-options.span, options.span, options.grid);
    let points = plane::points(theta, [&directions[0], &directions[1]], &coords, &coords);
    Ok(PreparedLandscape {
        grid: options.grid,
        span: options.span,
        coords,
        directions,
        plane: PlaneGrid { points, set },
    })
}

impl PreparedLandscape {
    pub async fn evaluate(self, session: &mut Session) -> Landscape {
        let set = self.plane.set;
        let values = self.plane.evaluate(session).await;
        let middle = self.grid / 2;
        let center_loss = values.loss.get(middle * self.grid + middle).copied().unwrap_or(f32::NAN);
        Landscape {
            grid: self.grid,
            span: self.span,
            coords: self.coords,
            values,
            center_loss,
            directions: self.directions,
            set,
        }
    }
}

/// A training path on its PCA plane, over the loss on that plane around θ_final.
#[derive(Clone, Debug, PartialEq)]
pub struct Projection {
    pub path: pca::PathPlane,
    pub grid: usize,
    pub x_range: [f64; 2],
    pub y_range: [f64; 2],
    pub values: GridLoss,
    pub set: EvalSet,
}

pub struct PreparedProjection {
    path: pca::PathPlane,
    grid: usize,
    x_range: [f64; 2],
    y_range: [f64; 2],
    plane: PlaneGrid,
}

/// Refuses a path of other than 2 to `MAX_SNAPSHOTS` snapshots (before they are read, too).
pub fn check_snapshot_count(m: usize) -> Result<(), SpecError> {
    if !(2..=MAX_SNAPSHOTS).contains(&m) {
        return Err(SpecError::new("params", format!("must list 2 to {MAX_SNAPSHOTS} snapshots, got {m}")));
    }
    Ok(())
}

/// Checks `snapshots` (θ_0..θ_final, in order) against the session's network, finds their PCA
/// plane and builds its grid. The ranges are the path's extent on each axis widened on both
/// sides by `margin` × the larger of the two extents, so a straight path still gets a plane.
pub fn prepare_projection(
    session: &Session,
    snapshots: &[Vec<f32>],
    options: &TrajectoryOptions,
) -> Result<PreparedProjection, SpecError> {
    let p = session.mlp().param_count();
    let m = snapshots.len();
    check_snapshot_count(m)?;
    for (i, s) in snapshots.iter().enumerate() {
        if s.len() != p {
            let message = format!("must have {p} values (this network's parameters), got {}", s.len());
            return Err(SpecError::new(format!("params[{i}]"), message));
        }
        if let Some(k) = s.iter().position(|v| !v.is_finite()) {
            return Err(SpecError::new(format!("params[{i}]"), format!("must be finite, got {} at index {k}", s[k])));
        }
    }
    if (m * m) as f64 * p as f64 > MAX_GRAM_WORK {
        let most = (MAX_GRAM_WORK / p as f64).sqrt().floor();
        return Err(SpecError::new(
            "params",
            format!("must list at most {most} snapshots for this network {TOO_MUCH_WORK}, got {m}"),
        ));
    }
    let set = resolve_set(session, options.set)?;
    check_grid_size(session, options.grid, set)?;
    let refs: Vec<&[f32]> = snapshots.iter().map(Vec::as_slice).collect();
    let path = pca::path_plane(&refs)
        .ok_or_else(|| SpecError::new("params", "must not all equal the last snapshot: there is no path to project"))?;
    let extent = |v: &[f64]| v.iter().fold([f64::INFINITY, f64::NEG_INFINITY], |[lo, hi], &x| [lo.min(x), hi.max(x)]);
    let (x, y) = (extent(&path.x), extent(&path.y));
    let pad = options.margin * (x[1] - x[0]).max(y[1] - y[0]);
    let (x_range, y_range) = ([x[0] - pad, x[1] + pad], [y[0] - pad, y[1] + pad]);
    let (xs, ys) =
        (plane::linspace(x_range[0], x_range[1], options.grid), plane::linspace(y_range[0], y_range[1], options.grid));
    let center = &snapshots[m - 1];
    let points = plane::points(center, [&path.directions[0], &path.directions[1]], &xs, &ys);
    Ok(PreparedProjection { path, grid: options.grid, x_range, y_range, plane: PlaneGrid { points, set } })
}

impl PreparedProjection {
    pub async fn evaluate(self, session: &mut Session) -> Projection {
        let set = self.plane.set;
        let values = self.plane.evaluate(session).await;
        Projection { path: self.path, grid: self.grid, x_range: self.x_range, y_range: self.y_range, values, set }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn error(result: Result<impl std::fmt::Debug, SpecError>) -> String {
        result.unwrap_err().to_string()
    }

    #[test]
    fn landscape_options_default_and_refuse_by_name() {
        let o = LandscapeOptions::parse(&Value::Null, 1).unwrap();
        assert_eq!(o, LandscapeOptions { run: 0, grid: 25, span: 1.0, seed: 0, set: None, biases: false });
        let o = LandscapeOptions::parse(&json!({"run": 2, "grid": 3, "span": 0.5, "set": "train", "biases": true}), 3)
            .unwrap();
        assert_eq!(
            o,
            LandscapeOptions { run: 2, grid: 3, span: 0.5, seed: 0, set: Some(EvalSet::Train), biases: true }
        );
        let parse = |v: Value| error(LandscapeOptions::parse(&v, 2));
        assert_eq!(parse(json!({"grid": 24})), "grid: must be odd (the centre is a grid point), got 24");
        assert_eq!(parse(json!({"grid": 53})), "grid: must be an integer in [3, 51], got 53");
        assert_eq!(parse(json!({"span": 0})), "span: must be a finite number in (0, 100], got 0");
        assert_eq!(parse(json!({"run": 2})), "run: must be an integer in [0, 1], got 2");
        assert_eq!(parse(json!({"set": "test"})), "set: must be one of train | validation, got \"test\"");
        assert_eq!(LandscapeOptions::parse(&json!({"grids": 3}), 1).unwrap_err().field, "grids");
        assert_eq!(LandscapeOptions::parse(&json!(3), 1).unwrap_err().field, "");
    }

    #[test]
    fn trajectory_options_default_and_refuse_by_name() {
        assert_eq!(
            TrajectoryOptions::parse(&Value::Null).unwrap(),
            TrajectoryOptions { grid: 25, margin: 0.25, set: None }
        );
        assert_eq!(
            error(TrajectoryOptions::parse(&json!({"margin": -1}))),
            "margin: must be a finite number in [0, 10], got -1"
        );
        assert_eq!(TrajectoryOptions::parse(&json!({"run": 0})).unwrap_err().field, "run");
    }
}
