// What the package's functions return, and the few options read without a field table
// (smoothing, suggestions, escape). The specs and options users write (every schedule kind,
// session option, surface, plan, range test, landscape and race) are in specs.d.ts, written
// from the engine's field tables.

/** A field of a spec as `Schedule.kinds()`, `Session.optionFields()` and `planMethods()` describe it. */
export interface FieldInfo {
  name: string;
  type: "float" | "int" | "bool" | "choice" | "int_list" | "float_list" | "bool_list" | "schedules";
  /** No default: the spec must give it. */
  required: boolean;
  /** Controls should move on a log scale. */
  log: boolean;
  description: string;
  default?: FieldValue;
  /** The value a control starts from (the default where there is one). */
  example?: FieldValue;
  min?: number;
  /** Whether `min` itself is refused. */
  min_exclusive?: boolean;
  max?: number;
  choices?: string[];
  /** Other names a choice accepts, each with the choice it stands for. */
  aliases?: Record<string, string>;
}

/** A field's default or example: a number, flag, choice, list, nested spec, or null for "none". */
export type FieldValue = number | boolean | string | number[] | boolean[] | ScheduleSpec[] | null;

/** A schedule kind as `Schedule.kinds()` lists it. */
export interface ScheduleKindInfo {
  kind: ScheduleKind;
  library: ScheduleLibrary;
  description: string;
  /** Whether the kind sets the momentum (or Adam's beta1) as it goes. */
  cycles_momentum: boolean;
  fields: FieldInfo[];
}

/** Values of a schedule at steps 0..n-1. */
export interface ScheduleSamples {
  lr: Float64Array;
  /** null when the kind never sets momentum; NaN at steps where it leaves it to the optimizer. */
  momentum: Float64Array | null;
}

/** Every option field, as `Session.optionFields()` describes them. */
export interface SessionOptionFields {
  session: FieldInfo[];
  optimizer_kind: FieldInfo;
  optimizers: Record<"sgd" | "adam" | "adamw", FieldInfo[]>;
  data: FieldInfo[];
  data_kinds: SyntheticDataKind[];
  own_data: FieldInfo[];
  augment: FieldInfo[];
  run: FieldInfo[];
  phase: FieldInfo[];
  run_update: FieldInfo[];
  limits: { runs: number; phases: number };
}

/** Where a session trains, and why. */
export interface BackendInfo {
  backend: "webgpu" | "cpu";
  adapter: string | null;
  /** Why training left the GPU or never reached it (a lost device, no WebGPU, runs too large for it). */
  fallback: string | null;
  /**
   * Why the runs train where they do, as a sentence for a person: with `backend: "auto"`, both
   * paths' measured run-steps/s ("CPU path: 83k run-steps/s measured against 2.7k on WebGPU
   * (software adapter)"); else what was asked, or why WebGPU is out of reach.
   */
  reason: string;
}

/** What `detectBackend()` finds: WebGPU with its adapter, or the CPU path and why. */
export interface BackendReport {
  backend: "webgpu" | "cpu";
  adapter: string | null;
  reason: string | null;
}

/** What `Session.step(steps)` resolves to. */
export interface StepResult {
  /** `losses[step * runs + run]`, NaN where a run no longer trains. */
  losses: Float32Array;
  runs: number;
  backend: BackendInfo;
}

export type RunState = "training" | "diverged" | "finished";

/** One run as `Session.evaluate()` reports it (accuracies for classification only). */
export interface RunReport {
  state: RunState;
  diverged_at: number | null;
  /** The phase the run's next step belongs to (null once its phases are over). */
  phase: number | null;
  train_loss: number | null;
  train_accuracy: number | null;
  validation_loss: number | null;
  validation_accuracy: number | null;
  /** For a run in a ReduceLROnPlateau phase: the scheduler's state. */
  plateau?: PlateauState;
}

/** ReduceLROnPlateau's state in a session, as `evaluate()` reports it. */
export interface PlateauState {
  lr: number;
  best: number;
  num_bad_epochs: number;
  patience: number;
  cooldown_counter: number;
  cooldown: number;
  /** Validation evaluations fed to the scheduler so far. */
  evaluations: number;
  /** The step of the next evaluation. */
  next_evaluation: number;
}

/** `Schedule.replay(metrics)`: after each `scheduler.step(metric)`. */
export interface PlateauReplay {
  lr: Float64Array;
  best: Float64Array;
  num_bad_epochs: Float64Array;
  cooldown_counter: Float64Array;
}

/** One Linear layer of a run, as `Session.layerStats(run)` reports it. */
export interface LayerStats {
  layer: number;
  group: number;
  lr: number;
  weight_norm: number;
  grad_norm: number;
  /** ‖update‖ / ‖weights‖ of the last step. */
  update_ratio: number;
}

/** The network's outputs on an n × n grid over the data's extent, rows from y = lo. */
export interface PredictGrid {
  values: Float32Array;
  n: number;
  outputs: number;
  lo: number;
  hi: number;
}

/** The training rows; `y` the class index (classification) or the first target (regression). */
export interface TrainingData {
  x: Float32Array;
  y: Float32Array;
  features: number;
}

/** `Session.predictSet(run, options)`: a set's rows with the run's outputs for each. */
export interface PredictSet extends TrainingData {
  /** rows × outputs: logits, or values for a regression (NaN where not finite). */
  predictions: Float32Array;
  outputs: number;
}

export interface PredictSetOptions {
  /** Default "train". */
  set?: EvaluationSet;
}

/** The libraries `exportCode` writes Python for. */
export type ExportTarget = "pytorch" | "transformers" | "timm" | "optax" | "keras" | "fastai";

export interface ExportOptions {
  /** Default: the kind's own library (PyTorch for ULMFiT's and lr-playground's kinds). */
  target?: ExportTarget;
}

export interface ExportRunOptions extends ExportOptions {
  /** The run of the Session options to write; default 0. */
  run?: number;
}

/** Which rows a loss is measured on. */
export type EvaluationSet = "train" | "validation";

export interface EvaluateParamsOptions {
  /** Default "train". */
  set?: EvaluationSet;
}

/** Loss (and accuracy, for classification) of each parameter vector given. */
export interface EvaluateParamsResult {
  loss: Float32Array;
  accuracy: Float32Array | null;
}

/** The loss on a plane through a run's parameters: point (i, j) is `loss[j * grid + i]`. */
export interface LandscapeResult {
  grid: number;
  span: number;
  coords: Float64Array;
  loss: Float32Array;
  accuracy: Float32Array | null;
  center_loss: number;
  directions: [Float32Array, Float32Array];
  set: EvaluationSet;
}

/** A training path on its PCA plane, with the loss over that plane. */
export interface ProjectedTrajectory {
  x: Float64Array;
  y: Float64Array;
  explained: [number, number];
  directions: [Float32Array, Float32Array];
  grid: number;
  x_range: [number, number];
  y_range: [number, number];
  loss: Float32Array;
  accuracy: Float32Array | null;
  set: EvaluationSet;
}

/** The suggestion methods: fastai's four and torch-lr-finder's. */
export type SuggestionMethod = "valley" | "slide" | "minimum" | "steep" | "steepest";

/** A suggested rate and the index of the point it came from, or why the library would raise. */
export type Suggestion = { lr: number; index: number } | { lr: null; reason: string };

export type Suggestions = Record<SuggestionMethod, Suggestion>;

/** Each suggestion's per-group rates (null where the suggestion found none). */
export type GroupLrs = Record<SuggestionMethod, Float64Array | null>;

/** One recorded point of a range test, as `onProgress` receives it. */
export interface RangeTestPoint {
  run: number;
  i: number;
  lr: number;
  loss: number;
  smoothed: number;
}

export interface RangeTestRun {
  losses: Float64Array;
  smoothed: Float64Array;
  suggestions: Suggestions;
  /** Where the test stopped early (divergence), else null. */
  stopped_at: number | null;
  group_lr_mult: Float64Array;
  group_lrs: GroupLrs;
}

/** How far apart the runs' suggestions of one method are. */
export interface SuggestionSpread {
  /** Runs that got a suggestion. */
  count: number;
  min: number | null;
  median: number | null;
  max: number | null;
  /** log10(max / min). */
  decades: number | null;
}

/** Per index, over the runs that recorded a smoothed value there. */
export interface RangeTestBand {
  median: Float64Array;
  min: Float64Array;
  max: Float64Array;
  q25: Float64Array;
  q75: Float64Array;
  count: Float64Array;
  spread: Record<SuggestionMethod, SuggestionSpread>;
}

/** What `LrFinder.run` resolves to. */
export interface RangeTestResult {
  lrs: Float64Array;
  runs: RangeTestRun[];
  /** With 2 or more runs. */
  band?: RangeTestBand;
  suggestions: Suggestions;
  group_lr_mult?: Float64Array;
  group_lrs?: GroupLrs;
  /** `onProgress` returned false. */
  cancelled: boolean;
}

/** A progress callback: returning `false` stops the call (its result says `cancelled`). */
export type OnProgress<Report> = (report: Report) => boolean | void;

/** What `LrFinder.verify` resolves to: one short training per candidate. */
export interface VerifyResult {
  candidates: Float64Array;
  /** steps × candidates. */
  losses: Float32Array;
  train_loss: Float64Array;
  /** NaN where diverged or without validation rows. */
  validation_loss: Float64Array;
  diverged: boolean[];
}

/** `smoothLosses` options: fastai's debiased float32 smoothing, or torch-lr-finder's. */
export type SmoothingOptions = { style?: "fastai"; beta?: number } | { style: "torch_lr_finder"; smooth_f?: number };

export interface SuggestOptions {
  method?: SuggestionMethod;
  num_it?: number;
}

/** An analytic surface as `surfaces()` lists it. */
export interface SurfaceInfo {
  name: SurfaceName;
  title: string;
  formula: string;
  params: FieldInfo[];
  domain: { x: [number, number]; y: [number, number] };
  view: { x: [number, number]; y: [number, number] };
  start: [number, number];
  minima: [number, number][];
  saddles: [number, number][];
}

/** What `surfaceOptimizerFields()` describes. */
export interface SurfaceOptimizerFields {
  optimizer_kind: FieldInfo;
  optimizers: Record<"sgd" | "adam" | "adamw" | "rmsprop" | "adagrad", FieldInfo[]>;
}

/** Row-major from (x_lo, y_lo), x fastest. */
export interface SurfaceGrid {
  values: Float64Array;
  nx: number;
  ny: number;
}

export interface Trajectory {
  x: Float64Array;
  y: Float64Array;
  loss: Float64Array;
  lr: Float64Array;
  state: "finished" | "diverged";
  steps: number;
}

export interface EscapeOptions {
  surface: SurfaceSpec;
  center: [number, number];
  radius: number;
  /** Default 0. */
  delta?: number;
}

/** The points of a path `escape` reads (a `Trajectory` will do). */
export interface TrajectoryPoints {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  loss: ArrayLike<number>;
}

/** fastai's `slice(lo, hi)` (rates spread over the groups) or `slice(hi)` (`[null, hi]`: hi/10 below the last group). */
export interface RateSlice {
  slice: [number | null, number];
}

/** A per-group plan method as `planMethods()` lists it. */
export interface PlanMethodInfo {
  method: PlanMethod;
  description: string;
  sets_momentum: boolean;
  fields: FieldInfo[];
}

export interface PlanMethods {
  methods: PlanMethodInfo[];
  limits: { steps: number; values: number; n_groups: number };
}

/** Every group's rate, momentum and trainable flag at every step, row-major `[step][group]`. */
export interface GroupPlan {
  steps: number;
  n_groups: number;
  lr: Float64Array;
  /** NaN where the method leaves momentum to the optimizer. */
  momentum: Float64Array;
  trainable: Uint8Array;
  /** Ready for a Session's `runs[i].phases`. */
  phases: PhaseOptions[];
}

/** A contestant of the plateau race. */
export interface RaceSchedule {
  name: string;
  schedule: ScheduleSpec;
}

export interface PlateauRaceProgress {
  step: number;
  /** Each run's smoothed loss. */
  loss: Float32Array;
}

export interface RaceStanding {
  name: string;
  escape_steps: (number | null)[];
  median: number | null;
  q25: number | null;
  q75: number | null;
  escaped: number;
}

export interface PlateauRaceResult {
  schedules: RaceStanding[];
  steps: number;
  runs: number;
  seeds: number;
  /** steps × runs, run = schedule × seeds + seed. */
  loss: Float32Array;
  plateau_loss: Float32Array;
  cancelled: boolean;
  backend: BackendInfo;
}
