// Written by `LR_PLAYGROUND_WRITE_TYPES=1 cargo test --test native typescript` from the field
// tables the engine validates against (tests/native/typescript.rs). Do not edit by hand.

/** A fixed learning rate (an optimizer with no scheduler). */
export interface ConstantSpec {
  kind: "Constant";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
}

/** PyTorch ConstantLR: lr × factor for the first total_iters steps, then lr. */
export interface ConstantLRSpec {
  kind: "ConstantLR";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Multiplies the rate until total_iters; in [0, 1]; default 0.3333333333333333 */
  factor?: number;
  /** Steps that use the reduced rate; in [0, 1000000000]; default 5 */
  total_iters?: number;
}

/** PyTorch StepLR: multiply the rate by gamma every step_size steps. */
export interface StepLRSpec {
  kind: "StepLR";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Steps between decays; in [1, 1000000000] */
  step_size: number;
  /** Multiplies the rate at each decay; in (0, 10]; default 0.1; log scale */
  gamma?: number;
}

/** PyTorch MultiStepLR: multiply the rate by gamma at each milestone. */
export interface MultiStepLRSpec {
  kind: "MultiStepLR";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Steps at which the rate is multiplied by gamma (a repeated milestone applies gamma twice); in [0, 1000000000] */
  milestones: number[];
  /** Multiplies the rate at each decay; in (0, 10]; default 0.1; log scale */
  gamma?: number;
}

/** PyTorch ExponentialLR: multiply the rate by gamma every step. */
export interface ExponentialLRSpec {
  kind: "ExponentialLR";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Multiplies the rate every step; in (0, 10]; log scale */
  gamma: number;
}

/** PyTorch LinearLR: move the rate's factor linearly from start_factor to end_factor (warm-up). */
export interface LinearLRSpec {
  kind: "LinearLR";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Factor at step 0; in (0, 1]; default 0.3333333333333333 */
  start_factor?: number;
  /** Factor from total_iters on; in [0, 1]; default 1.0 */
  end_factor?: number;
  /** Steps over which the factor changes; in [1, 1000000000]; default 5 */
  total_iters?: number;
}

/** PyTorch PolynomialLR: decay the rate to zero over total_iters steps as (1 - t/total_iters)^power. */
export interface PolynomialLRSpec {
  kind: "PolynomialLR";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Steps over which the factor changes; in [1, 1000000000]; default 5 */
  total_iters?: number;
  /** Exponent of the decay; in [0, 100]; default 1.0 */
  power?: number;
}

/** PyTorch CosineAnnealingLR: cosine from lr to eta_min over T_max steps (continues past T_max, unclamped). */
export interface CosineAnnealingLRSpec {
  kind: "CosineAnnealingLR";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Steps from lr down to eta_min (half a cosine period); in [1, 1000000000] */
  T_max: number;
  /** The lowest rate; in [0, 100]; default 0.0 */
  eta_min?: number;
}

/** PyTorch CyclicLR (Smith 2017): triangular cycles between base_lr and max_lr, momentum cycled inversely. */
export interface CyclicLRSpec {
  kind: "CyclicLR";
  /** Lower boundary of the cycle; in (0, 100]; log scale */
  base_lr: number;
  /** Upper boundary of the cycle; in (0, 100]; log scale */
  max_lr: number;
  /** Steps in the increasing half of a cycle; in [1, 1000000000]; default 2000 */
  step_size_up?: number;
  /** Steps in the decreasing half (none: same as step_size_up); in [1, 1000000000] */
  step_size_down?: number | null;
  /** triangular: constant amplitude; triangular2: amplitude halves each cycle; exp_range: amplitude × gamma^step; default "triangular" */
  mode?: "triangular" | "triangular2" | "exp_range";
  /** Amplitude decay per step in exp_range mode; in (0, 1]; default 1.0 */
  gamma?: number;
  /** Cycle momentum inversely to the rate; default true */
  cycle_momentum?: boolean;
  /** Momentum at the cycle's peak rate; in [0, 1]; default 0.8 */
  base_momentum?: number;
  /** Momentum at the cycle's lowest rate; in [0, 1]; default 0.9 */
  max_momentum?: number;
}

/** PyTorch CosineAnnealingWarmRestarts (SGDR): cosine cycles of T_0, T_0·T_mult, … steps, each restarting at lr. */
export interface CosineAnnealingWarmRestartsSpec {
  kind: "CosineAnnealingWarmRestarts";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Steps in the first cycle; in [1, 1000000000] */
  T_0: number;
  /** Each cycle is T_mult times longer than the last (PyTorch: integers only); in [1, 10]; default 1.0 */
  T_mult?: number;
  /** The lowest rate; in [0, 100]; default 0.0 */
  eta_min?: number;
  /** Multiplies the peak rate at every restart (1: PyTorch); in (0, 1]; default 1.0 */
  restart_decay?: number;
}

/** PyTorch OneCycleLR (Smith & Topin 2018): warm up to max_lr, then anneal far below the start; momentum mirrors it. */
export interface OneCycleLRSpec {
  kind: "OneCycleLR";
  /** Peak rate of the cycle; in (0, 100]; log scale */
  max_lr: number;
  /** Steps in the cycle (none: epochs × steps_per_epoch); in [1, 1000000000] */
  total_steps?: number | null;
  /** Epochs, when total_steps is not given; in [1, 1000000000] */
  epochs?: number | null;
  /** Steps per epoch, when total_steps is not given; in [1, 1000000000] */
  steps_per_epoch?: number | null;
  /** Fraction of the cycle spent increasing the rate; in [0, 1]; default 0.3 */
  pct_start?: number;
  /** Shape of each phase; default "cos" */
  anneal_strategy?: "cos" | "linear";
  /** Cycle momentum inversely to the rate; default true */
  cycle_momentum?: boolean;
  /** Momentum at the peak rate; in [0, 1]; default 0.85 */
  base_momentum?: number;
  /** Momentum at the start and end; in [0, 1]; default 0.95 */
  max_momentum?: number;
  /** initial_lr = max_lr / div_factor; in (0, 1000000000]; default 25.0; log scale */
  div_factor?: number;
  /** min_lr = initial_lr / final_div_factor; in (0, 1000000000000]; default 10000.0; log scale */
  final_div_factor?: number;
  /** Go back down to initial_lr symmetrically before annealing to min_lr (fastai-style when false); default false */
  three_phase?: boolean;
}

/** PyTorch SequentialLR: run each schedule in turn, switching at the milestones (e.g. warm-up, then cosine). */
export interface SequentialLRSpec {
  kind: "SequentialLR";
  /** The schedules, in order */
  schedules: ScheduleSpec[];
  /** Steps at which the next schedule takes over (one fewer than schedules); in [1, 1000000000] */
  milestones: number[];
}

/** Cut the rate by factor when a metric stops improving (it needs the metric: replay it, or train). */
export interface ReduceLROnPlateauSpec {
  kind: "ReduceLROnPlateau";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Whether the metric should go down (a loss) or up; default "min" */
  mode?: "min" | "max";
  /** Multiplies the rate at each reduction (below 1); in [0, 1]; default 0.1 */
  factor?: number;
  /** Evaluations without improvement tolerated before reducing; in [0, 1000000000]; default 10 */
  patience?: number;
  /** How much better than the best a metric must be to count; in [0, 1000000]; default 0.0001 */
  threshold?: number;
  /** threshold as a fraction of the best, or absolute; default "rel" */
  threshold_mode?: "rel" | "abs";
  /** Evaluations after a reduction that count as neither good nor bad; in [0, 1000000000]; default 0 */
  cooldown?: number;
  /** The rate never goes below this; in [0, 100]; default 0.0 */
  min_lr?: number;
  /** Reductions smaller than this are skipped; in [0, 1]; default 1e-8 */
  eps?: number;
}

/** fastai fit_one_cycle: cosine warm-up from lr_max/div to lr_max, cosine down to lr_max/div_final; momentum mirrors it. */
export interface FitOneCycleSpec {
  kind: "fit_one_cycle";
  /** Epochs to train; in [1, 1000000] */
  n_epoch: number;
  /** Training batches per epoch; in [1, 1000000] */
  steps_per_epoch: number;
  /** Peak learning rate; in (0, 100]; default 0.001; log scale */
  lr_max?: number;
  /** Start at lr_max / div; in (0, 1000000000]; default 25.0; log scale */
  div?: number;
  /** End at lr_max / div_final; in (0, 1000000000000]; default 100000.0; log scale */
  div_final?: number;
  /** Fraction of training spent warming up; in (0, 1]; default 0.25 */
  pct_start?: number;
  /** Momentum at the start, the peak rate, and the end; in [0, 1]; default [0.95,0.85,0.95] */
  moms?: number[] | Float32Array | Float64Array;
}

/** fastai fit_sgdr: n_cycles cosine cycles from lr_max to 0, each cycle_mult times longer than the last. */
export interface FitSgdrSpec {
  kind: "fit_sgdr";
  /** Number of cosine cycles; in [1, 30] */
  n_cycles: number;
  /** Epochs in the first cycle; in [1, 1000000] */
  cycle_len: number;
  /** Training batches per epoch; in [1, 1000000] */
  steps_per_epoch: number;
  /** Peak learning rate; in (0, 100]; default 0.001; log scale */
  lr_max?: number;
  /** Each cycle is cycle_mult times longer (fastai: 2 or more); in [1, 10]; default 2 */
  cycle_mult?: number;
}

/** fastai fit_flat_cos: a flat rate for pct_start of training, then cosine down to lr/div_final. */
export interface FitFlatCosSpec {
  kind: "fit_flat_cos";
  /** Epochs to train; in [1, 1000000] */
  n_epoch: number;
  /** Training batches per epoch; in [1, 1000000] */
  steps_per_epoch: number;
  /** The flat learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** End at lr_max / div_final; in (0, 1000000000000]; default 100000.0; log scale */
  div_final?: number;
  /** Fraction of training at the flat rate; in (0, 1]; default 0.75 */
  pct_start?: number;
}

/** ULMFiT slanted triangular (Howard & Ruder 2018): rise for cut_frac of the steps, then a long linear decay. */
export interface SlantedTriangularSpec {
  kind: "SlantedTriangular";
  /** Peak learning rate; in (0, 100]; default 0.01; log scale */
  lr_max?: number;
  /** Training steps T; in [1, 1000000000] */
  total_steps: number;
  /** Fraction of steps spent increasing the rate; in (0, 1]; default 0.1 */
  cut_frac?: number;
  /** How much larger the peak is than the lowest rate; in [1, 1000000]; default 32.0; log scale */
  ratio?: number;
}

/** Linear warm-up from 0 to lr, then constant. */
export interface GetConstantScheduleWithWarmupSpec {
  kind: "get_constant_schedule_with_warmup";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Steps of linear warm-up from 0 to lr; in [0, 1000000000] */
  num_warmup_steps: number;
}

/** Linear warm-up to lr, then linear decay to 0 at num_training_steps. */
export interface GetLinearScheduleWithWarmupSpec {
  kind: "get_linear_schedule_with_warmup";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Steps of linear warm-up from 0 to lr; in [0, 1000000000] */
  num_warmup_steps: number;
  /** Total training steps, warm-up included; in [0, 1000000000] */
  num_training_steps: number;
}

/** Linear warm-up to lr, then cosine decay to 0 at num_training_steps. */
export interface GetCosineScheduleWithWarmupSpec {
  kind: "get_cosine_schedule_with_warmup";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Steps of linear warm-up from 0 to lr; in [0, 1000000000] */
  num_warmup_steps: number;
  /** Total training steps, warm-up included; in [0, 1000000000] */
  num_training_steps: number;
  /** Cosine waves over the decay (0.5: half a cosine down to the end); in [0, 1000]; default 0.5 */
  num_cycles?: number;
}

/** Linear warm-up to lr, then num_cycles cosine decays to 0, each restarting at lr. */
export interface GetCosineWithHardRestartsScheduleWithWarmupSpec {
  kind: "get_cosine_with_hard_restarts_schedule_with_warmup";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Steps of linear warm-up from 0 to lr; in [0, 1000000000] */
  num_warmup_steps: number;
  /** Total training steps, warm-up included; in [0, 1000000000] */
  num_training_steps: number;
  /** Cosine cycles, each restarting at lr; in [0, 1000000]; default 1 */
  num_cycles?: number;
}

/** Linear warm-up to lr, then polynomial decay to lr_end at num_training_steps. */
export interface GetPolynomialDecayScheduleWithWarmupSpec {
  kind: "get_polynomial_decay_schedule_with_warmup";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Steps of linear warm-up from 0 to lr; in [0, 1000000000] */
  num_warmup_steps: number;
  /** Total training steps, warm-up included; in [0, 1000000000] */
  num_training_steps: number;
  /** The rate at the end of the decay (below lr); in [0, 100]; default 1e-7; log scale */
  lr_end?: number;
  /** Exponent of the decay; in [0, 100]; default 1.0 */
  power?: number;
}

/** Linear warm-up to lr, then decay as one over the square root of the step. */
export interface GetInverseSqrtScheduleSpec {
  kind: "get_inverse_sqrt_schedule";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Steps of linear warm-up from 0 to lr; in [0, 1000000000] */
  num_warmup_steps: number;
  /** Scale of the decay: the rate is lr at warm-up end, lr / 2 after 3 timescales (none: num_warmup_steps, or 10000); in [1, 1000000000] */
  timescale?: number | null;
}

/** Linear warm-up to lr, then cosine decay to a floor (min_lr, or min_lr_rate × lr). */
export interface GetCosineWithMinLrScheduleWithWarmupSpec {
  kind: "get_cosine_with_min_lr_schedule_with_warmup";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Steps of linear warm-up from 0 to lr; in [0, 1000000000] */
  num_warmup_steps: number;
  /** Total training steps, warm-up included; in [0, 1000000000] */
  num_training_steps: number;
  /** Cosine waves over the decay (0.5: half a cosine down to the end); in [0, 1000]; default 0.5 */
  num_cycles?: number;
  /** The lowest rate (give this or min_lr_rate); in [0, 100] */
  min_lr?: number | null;
  /** The lowest rate as a fraction of lr (give this or min_lr); in [0, 1] */
  min_lr_rate?: number | null;
}

/** Warm-up, a stable stretch at lr, then a decay (warmup-stable-decay). */
export interface GetWsdScheduleSpec {
  kind: "get_wsd_schedule";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Steps of linear warm-up from 0 to lr; in [0, 1000000000] */
  num_warmup_steps: number;
  /** Steps of the final decay; in [0, 1000000000] */
  num_decay_steps: number;
  /** Total steps; the stable phase is what warm-up and decay leave (or give num_stable_steps); in [0, 1000000000] */
  num_training_steps?: number | null;
  /** Steps at lr between warm-up and decay (wins over num_training_steps); in [0, 1000000000] */
  num_stable_steps?: number | null;
  /** Shape of the warm-up; default "linear" */
  warmup_type?: "linear" | "cosine" | "1-sqrt";
  /** Shape of the decay; default "cosine" */
  decay_type?: "linear" | "cosine" | "1-sqrt";
  /** Where warm-up starts and decay ends, as a fraction of lr; in [0, 1]; default 0.0 */
  min_lr_ratio?: number;
  /** Cosine waves over the decay (0.5: half a cosine down to the end); in [0, 1000]; default 0.5 */
  num_cycles?: number;
}

/** Cosine decay from lr to lr_min per cycle, with warm-up and restarts. */
export interface CosineLRSchedulerSpec {
  kind: "CosineLRScheduler";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Updates in the first cycle; in [1, 1000000000] */
  t_initial: number;
  /** The rate at the end of each cycle; in [0, 100]; default 0.0 */
  lr_min?: number;
  /** Each cycle is this many times longer than the last; in [1, 100]; default 1.0 */
  cycle_mul?: number;
  /** Multiplies the peak rate at each new cycle; in [0, 100]; default 1.0 */
  cycle_decay?: number;
  /** Cycles before the rate stays at lr_min; in [0, 1000000000]; default 1 */
  cycle_limit?: number;
  /** Updates of linear warm-up from warmup_lr_init; in [0, 1000000000]; default 0 */
  warmup_t?: number;
  /** The rate warm-up starts from; in [0, 100]; default 0.0 */
  warmup_lr_init?: number;
  /** Cycles start after warm-up (else warm-up overlaps the first cycle); default false */
  warmup_prefix?: boolean;
  /** k-decay exponent on the cycle position (1: plain); in (0, 100]; default 1.0 */
  k_decay?: number;
}

/** Hyperbolic-tangent decay from lr to lr_min per cycle, with warm-up and restarts. */
export interface TanhLRSchedulerSpec {
  kind: "TanhLRScheduler";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Updates in the first cycle; in [1, 1000000000] */
  t_initial: number;
  /** tanh argument at the cycle start; in [-100, 100]; default -7.0 */
  lb?: number;
  /** tanh argument at the cycle end (above lb); in [-100, 100]; default 3.0 */
  ub?: number;
  /** The rate at the end of each cycle; in [0, 100]; default 0.0 */
  lr_min?: number;
  /** Each cycle is this many times longer than the last; in [1, 100]; default 1.0 */
  cycle_mul?: number;
  /** Multiplies the peak rate at each new cycle; in [0, 100]; default 1.0 */
  cycle_decay?: number;
  /** Cycles before the rate stays at lr_min; in [0, 1000000000]; default 1 */
  cycle_limit?: number;
  /** Updates of linear warm-up from warmup_lr_init; in [0, 1000000000]; default 0 */
  warmup_t?: number;
  /** The rate warm-up starts from; in [0, 100]; default 0.0 */
  warmup_lr_init?: number;
  /** Cycles start after warm-up (else warm-up overlaps the first cycle); default false */
  warmup_prefix?: boolean;
}

/** Polynomial decay from lr to lr_min per cycle, with warm-up and restarts. */
export interface PolyLRSchedulerSpec {
  kind: "PolyLRScheduler";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Updates in the first cycle; in [1, 1000000000] */
  t_initial: number;
  /** Exponent of the polynomial decay; in [0, 100]; default 0.5 */
  power?: number;
  /** The rate at the end of each cycle; in [0, 100]; default 0.0 */
  lr_min?: number;
  /** Each cycle is this many times longer than the last; in [1, 100]; default 1.0 */
  cycle_mul?: number;
  /** Multiplies the peak rate at each new cycle; in [0, 100]; default 1.0 */
  cycle_decay?: number;
  /** Cycles before the rate stays at lr_min; in [0, 1000000000]; default 1 */
  cycle_limit?: number;
  /** Updates of linear warm-up from warmup_lr_init; in [0, 1000000000]; default 0 */
  warmup_t?: number;
  /** The rate warm-up starts from; in [0, 100]; default 0.0 */
  warmup_lr_init?: number;
  /** Cycles start after warm-up (else warm-up overlaps the first cycle); default false */
  warmup_prefix?: boolean;
  /** k-decay exponent on the cycle position (1: plain); in (0, 100]; default 1.0 */
  k_decay?: number;
}

/** Multiply the rate by decay_rate every decay_t updates, after an optional warm-up. */
export interface StepLRSchedulerSpec {
  kind: "StepLRScheduler";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Updates between decays; in (0, 1000000000] */
  decay_t: number;
  /** Multiplies the rate at each decay; in [0, 10]; default 1.0; log scale */
  decay_rate?: number;
  /** Updates of linear warm-up from warmup_lr_init; in [0, 1000000000]; default 0 */
  warmup_t?: number;
  /** The rate warm-up starts from; in [0, 100]; default 0.0 */
  warmup_lr_init?: number;
  /** Decays count from the end of warm-up; default true */
  warmup_prefix?: boolean;
}

/** Multiply the rate by decay_rate at each update in decay_t, after an optional warm-up. */
export interface MultiStepLRSchedulerSpec {
  kind: "MultiStepLRScheduler";
  /** The optimizer's initial learning rate; in (0, 100]; default 0.001; log scale */
  lr?: number;
  /** Updates at which the rate is multiplied by decay_rate (sorted); in [0, 1000000000] */
  decay_t: number[];
  /** Multiplies the rate at each decay; in [0, 10]; default 1.0; log scale */
  decay_rate?: number;
  /** Updates of linear warm-up from warmup_lr_init; in [0, 1000000000]; default 0 */
  warmup_t?: number;
  /** The rate warm-up starts from; in [0, 100]; default 0.0 */
  warmup_lr_init?: number;
  /** Decays count from the end of warm-up; default true */
  warmup_prefix?: boolean;
}

/** Linear warm-up to peak_value, then cosine decay to end_value at decay_steps. */
export interface WarmupCosineDecayScheduleSpec {
  kind: "warmup_cosine_decay_schedule";
  /** The rate at step 0; in [0, 100]; log scale */
  init_value: number;
  /** The rate warm-up reaches; in [0, 100]; log scale */
  peak_value: number;
  /** Steps of linear warm-up from init_value to peak_value; in [0, 1000000000] */
  warmup_steps: number;
  /** Steps of the whole schedule, warm-up included; in [1, 1000000000] */
  decay_steps: number;
  /** The rate at the end; in [0, 100]; default 0.0 */
  end_value?: number;
  /** Raises the cosine's factor to this power; in [0, 100]; default 1.0 */
  exponent?: number;
}

/** Linear warm-up to peak_value, then exponential decay. */
export interface WarmupExponentialDecayScheduleSpec {
  kind: "warmup_exponential_decay_schedule";
  /** The rate at step 0; in [0, 100]; log scale */
  init_value: number;
  /** The rate warm-up reaches; in [0, 100]; log scale */
  peak_value: number;
  /** Steps of linear warm-up from init_value to peak_value; in [0, 1000000000] */
  warmup_steps: number;
  /** Steps of the transition (0: hold the start value); in [0, 1000000000] */
  transition_steps: number;
  /** Factor per transition_steps (0: hold the start value); in [0, 10]; log scale */
  decay_rate: number;
  /** Steps before the transition starts; in [0, 1000000000]; default 0 */
  transition_begin?: number;
  /** Decay in whole steps of transition_steps; default false */
  staircase?: boolean;
  /** Bound the decay stops at (none: no bound); in [0, 100] */
  end_value?: number | null;
}

/** One cycle in three linear legs: up to peak_value, back down, then far below the start. */
export interface LinearOnecycleScheduleSpec {
  kind: "linear_onecycle_schedule";
  /** Steps of the cycle; in [1, 1000000000] */
  transition_steps: number;
  /** The highest rate; in (0, 100]; log scale */
  peak_value: number;
  /** Fraction of the cycle spent increasing the rate; in [0, 1]; default 0.3 */
  pct_start?: number;
  /** Fraction of the cycle at whose end the rate is back at the start; in [0, 1]; default 0.85 */
  pct_final?: number;
  /** Start rate = peak_value / div_factor; in (0, 1000000000]; default 25.0; log scale */
  div_factor?: number;
  /** End rate = start rate / final_div_factor; in (0, 1000000000000]; default 10000.0; log scale */
  final_div_factor?: number;
}

/** One cycle with cosine legs: up to peak_value, then down far below the start. */
export interface CosineOnecycleScheduleSpec {
  kind: "cosine_onecycle_schedule";
  /** Steps of the cycle; in [1, 1000000000] */
  transition_steps: number;
  /** The highest rate; in (0, 100]; log scale */
  peak_value: number;
  /** Fraction of the cycle spent increasing the rate; in [0, 1]; default 0.3 */
  pct_start?: number;
  /** Start rate = peak_value / div_factor; in (0, 1000000000]; default 25.0; log scale */
  div_factor?: number;
  /** End rate = start rate / final_div_factor; in (0, 1000000000000]; default 10000.0; log scale */
  final_div_factor?: number;
}

/** init_value, multiplied by each scale from its step on. */
export interface PiecewiseConstantScheduleSpec {
  kind: "piecewise_constant_schedule";
  /** The rate at step 0; in [0, 100]; log scale */
  init_value: number;
  /** Object of step → scale: from that step on, the rate is multiplied by the scale */
  boundaries_and_scales?: Record<string, number> | null;
}

/** Multiply init_value by decay_rate every transition_steps, smoothly or in stairs. */
export interface ExponentialDecayFnSpec {
  kind: "exponential_decay";
  /** The rate at step 0; in [0, 100]; log scale */
  init_value: number;
  /** Steps of the transition (0: hold the start value); in [0, 1000000000] */
  transition_steps: number;
  /** Factor per transition_steps (0: hold the start value); in [0, 10]; log scale */
  decay_rate: number;
  /** Steps before the transition starts; in [0, 1000000000]; default 0 */
  transition_begin?: number;
  /** Decay in whole steps of transition_steps; default false */
  staircase?: boolean;
  /** Bound the decay stops at (none: no bound); in [0, 100] */
  end_value?: number | null;
}

/** Polynomial transition from init_value to end_value over transition_steps. */
export interface PolynomialScheduleSpec {
  kind: "polynomial_schedule";
  /** The rate at step 0; in [0, 100]; log scale */
  init_value: number;
  /** The rate at the end; in [0, 100]; log scale */
  end_value: number;
  /** Exponent of the polynomial; in [0, 100] */
  power: number;
  /** Steps of the transition (0: hold the start value); in [0, 1000000000] */
  transition_steps: number;
  /** Steps before the transition starts; in [0, 1000000000]; default 0 */
  transition_begin?: number;
}

/** Warm restarts: warm-up-cosine cycles joined end to end. */
export interface SgdrScheduleSpec {
  kind: "sgdr_schedule";
  /** The cycles: a list of warmup_cosine_decay_schedule arguments */
  cosine_kwargs: Omit<WarmupCosineDecayScheduleSpec, "kind">[];
}

/** Cosine decay over decay_steps, optionally after a linear warm-up to warmup_target. */
export interface CosineDecaySpec {
  kind: "CosineDecay";
  /** The rate at step 0; in (0, 100]; log scale */
  initial_learning_rate: number;
  /** Steps of the decay; in [1, 1000000000] */
  decay_steps: number;
  /** The lowest rate, as a fraction of the initial one; in [0, 1]; default 0.0 */
  alpha?: number;
  /** The rate warm-up climbs to (none: no warm-up); in [0, 100]; log scale */
  warmup_target?: number | null;
  /** Steps of linear warm-up to warmup_target; in [0, 1000000000]; default 0 */
  warmup_steps?: number;
}

/** Cosine decay with warm restarts: cycles t_mul times longer, peaks m_mul times lower. */
export interface CosineDecayRestartsSpec {
  kind: "CosineDecayRestarts";
  /** The rate at step 0; in (0, 100]; log scale */
  initial_learning_rate: number;
  /** Steps in the first cycle; in [1, 1000000000] */
  first_decay_steps: number;
  /** Each cycle is this many times longer than the last; in (0, 100]; default 2.0 */
  t_mul?: number;
  /** Multiplies the peak rate at each restart; in [0, 100]; default 1.0 */
  m_mul?: number;
  /** The lowest rate, as a fraction of the initial one; in [0, 1]; default 0.0 */
  alpha?: number;
}

/** A constant rate per stretch: values[i] up to and including boundaries[i]. */
export interface PiecewiseConstantDecaySpec {
  kind: "PiecewiseConstantDecay";
  /** Steps after which the next value applies (increasing); in [0, 1000000000] */
  boundaries: number[];
  /** The rates: one more than boundaries; in [0, 100] */
  values: number[] | Float32Array | Float64Array;
}

/** Divide the rate by 1 + decay_rate · step / decay_steps. */
export interface InverseTimeDecaySpec {
  kind: "InverseTimeDecay";
  /** The rate at step 0; in (0, 100]; log scale */
  initial_learning_rate: number;
  /** Steps of the decay; in [1, 1000000000] */
  decay_steps: number;
  /** The decay's rate; in [0, 100]; log scale */
  decay_rate: number;
  /** Decay in whole steps of decay_steps; default false */
  staircase?: boolean;
}

/** Polynomial decay to end_learning_rate over decay_steps, optionally cycling. */
export interface PolynomialDecaySpec {
  kind: "PolynomialDecay";
  /** The rate at step 0; in (0, 100]; log scale */
  initial_learning_rate: number;
  /** Steps of the decay; in [1, 1000000000] */
  decay_steps: number;
  /** The rate at the end of the decay; in [0, 100]; default 0.0001; log scale */
  end_learning_rate?: number;
  /** Exponent of the polynomial; in [0, 100]; default 1.0 */
  power?: number;
  /** Past decay_steps, decay again over the next multiple of decay_steps; default false */
  cycle?: boolean;
}

/** Multiply the rate by decay_rate every decay_steps, smoothly or in stairs. */
export interface ExponentialDecaySpec {
  kind: "ExponentialDecay";
  /** The rate at step 0; in (0, 100]; log scale */
  initial_learning_rate: number;
  /** Steps of the decay; in [1, 1000000000] */
  decay_steps: number;
  /** The decay's rate; in [0, 100]; log scale */
  decay_rate: number;
  /** Decay in whole steps of decay_steps; default false */
  staircase?: boolean;
}

/** The LR range test's rate, as fastai's lr_find or torch-lr-finder's range_test grows it every batch. */
export interface LrRangeTestSpec {
  kind: "LrRangeTest";
  /** The first rate tried; in (0, 100]; default 1e-7; log scale */
  start_lr?: number;
  /** The rate the test grows towards; in (0, 1000000]; default 10.0; log scale */
  end_lr?: number;
  /** Batches the rate grows over; in [2, 100000]; default 100 */
  num_it?: number;
  /** exp: log-spaced rates; linear: evenly spaced (torch_lr_finder only); default "exp" */
  step_mode?: "exp" | "linear";
  /** fastai: Learner.lr_find (never reaches end_lr); torch_lr_finder: LRFinder.range_test (reaches end_lr); default "fastai" */
  convention?: "fastai" | "torch_lr_finder";
}

/** A learning-rate schedule, as `new Schedule(spec)` and a run's `schedule` take it. */
export type ScheduleSpec =
  | ConstantSpec
  | ConstantLRSpec
  | StepLRSpec
  | MultiStepLRSpec
  | ExponentialLRSpec
  | LinearLRSpec
  | PolynomialLRSpec
  | CosineAnnealingLRSpec
  | CyclicLRSpec
  | CosineAnnealingWarmRestartsSpec
  | OneCycleLRSpec
  | SequentialLRSpec
  | ReduceLROnPlateauSpec
  | FitOneCycleSpec
  | FitSgdrSpec
  | FitFlatCosSpec
  | SlantedTriangularSpec
  | GetConstantScheduleWithWarmupSpec
  | GetLinearScheduleWithWarmupSpec
  | GetCosineScheduleWithWarmupSpec
  | GetCosineWithHardRestartsScheduleWithWarmupSpec
  | GetPolynomialDecayScheduleWithWarmupSpec
  | GetInverseSqrtScheduleSpec
  | GetCosineWithMinLrScheduleWithWarmupSpec
  | GetWsdScheduleSpec
  | CosineLRSchedulerSpec
  | TanhLRSchedulerSpec
  | PolyLRSchedulerSpec
  | StepLRSchedulerSpec
  | MultiStepLRSchedulerSpec
  | WarmupCosineDecayScheduleSpec
  | WarmupExponentialDecayScheduleSpec
  | LinearOnecycleScheduleSpec
  | CosineOnecycleScheduleSpec
  | PiecewiseConstantScheduleSpec
  | ExponentialDecayFnSpec
  | PolynomialScheduleSpec
  | SgdrScheduleSpec
  | CosineDecaySpec
  | CosineDecayRestartsSpec
  | PiecewiseConstantDecaySpec
  | InverseTimeDecaySpec
  | PolynomialDecaySpec
  | ExponentialDecaySpec
  | LrRangeTestSpec;

/** Every schedule kind's name. */
export type ScheduleKind = ScheduleSpec["kind"];

/** The library whose convention a schedule kind follows. */
export type ScheduleLibrary = "fastai" | "keras" | "lr-playground" | "optax" | "pytorch" | "timm" | "transformers" | "ulmfit";

/** What `Session.create(options)` takes. */
export interface SessionOptions {
  /** Where to train: the faster path for this shape, timed once (auto), WebGPU (gpu) or the CPU path (cpu); default "auto" */
  backend?: "auto" | "cpu" | "gpu";
  /** Layer widths, inputs first: [2, 16, 16, 2]; in [1, 1024] */
  layers: number[];
  /** Hidden-layer activation; default "relu" */
  activation?: "relu" | "tanh" | "sigmoid" | "gelu" | "linear";
  /** Training loss; default "cross_entropy" */
  loss?: "cross_entropy" | "mse";
  /** Rows per step (full batches only); in [1, 4096]; default 32 */
  batch_size?: number;
  /** Reshuffle the training rows every epoch; default true */
  shuffle?: boolean;
  /** Seeds the per-epoch shuffle; in [0, 4294967295]; default 0 */
  seed?: number;
  /** {kind: sgd | adam | adamw, ...} */
  optimizer?: OptimizerOptions;
  /** A synthetic set {kind, n, noise, ...} or your own {x, y, features} */
  data: DataOptions;
  /** Consecutive Linear indices per group, e.g. [[0], [1, 2]] */
  groups?: number[][];
  /** One entry per run: {seed, data_seed, init_params, schedule, group_lr_mult, frozen} or {seed, data_seed, init_params, phases} */
  runs: RunOptions[];
  /** While a run's lowest groups are frozen (and without augmentation), compute their outputs for the training rows once and reuse them (fastai's precompute=True; the same results, faster, on the CPU path); default true */
  precompute?: boolean;
}

/** The adam optimizer */
export interface AdamOptimizerOptions {
  kind: "adam" | "Adam";
  /** (beta1, beta2); a schedule that cycles momentum overrides beta1; in [0, 1]; default [0.9,0.999] */
  betas?: number[] | Float32Array | Float64Array;
  /** Added to the denominator; in (0, 1]; default 1e-8 */
  eps?: number;
  /** Weight decay (L2, added to the gradient); in [0, 1]; default 0.0 */
  weight_decay?: number;
}

/** The adamw optimizer */
export interface AdamwOptimizerOptions {
  kind: "adamw" | "AdamW";
  /** (beta1, beta2); a schedule that cycles momentum overrides beta1; in [0, 1]; default [0.9,0.999] */
  betas?: number[] | Float32Array | Float64Array;
  /** Added to the denominator; in (0, 1]; default 1e-8 */
  eps?: number;
  /** Decoupled weight decay; in [0, 1]; default 0.01 */
  weight_decay?: number;
}

/** The sgd optimizer */
export interface SgdOptimizerOptions {
  kind: "sgd" | "SGD";
  /** Momentum factor (a schedule that cycles momentum overrides it); in [0, 1]; default 0.0 */
  momentum?: number;
  /** Dampening for momentum; in [0, 1]; default 0.0 */
  dampening?: number;
  /** Nesterov momentum; default false */
  nesterov?: boolean;
  /** L2 penalty; in [0, 1]; default 0.0 */
  weight_decay?: number;
}

/** A session's optimizer (`kind` as torch.optim names it, or in lower case). */
export type OptimizerOptions =
  | AdamOptimizerOptions
  | AdamwOptimizerOptions
  | SgdOptimizerOptions;

/** A synthetic 2-D data set. */
export interface SyntheticDataOptions {
  kind: "circle" | "xor" | "gauss" | "spiral" | "moons" | "reg_plane" | "reg_gauss";
  /** Points in all (training + validation); in [4, 100000]; default 512 */
  n?: number;
  /** Noise, as TensorFlow Playground's slider (0.5 = 50%); in [0, 1]; default 0.0 */
  noise?: number;
  /** Share of points held out for validation; in [0, 0.9]; default 0.2 */
  validation_fraction?: number;
  /** Seeds the points and the split; in [0, 4294967295]; default 0 */
  seed?: number;
  /** Spiral arms, one class each (arm k is class k; spiral only); in [2, 8]; default 2 */
  arms?: number;
  /** Degrees the points are turned about the origin, counter-clockwise (labels kept): a related task; in [-360, 360]; default 0.0 */
  rotation?: number;
  /** {rotate, jitter, flip, seed}: a random transform of each training row, drawn afresh every epoch (validation rows never) */
  augment?: AugmentOptions | null;
}

/** Your own rows. */
export interface OwnDataOptions {
  /** Inputs, row-major [rows, features]; in [-3.4028234663852886e38, 3.4028234663852886e38] */
  x: number[] | Float32Array | Float64Array;
  /** Class labels (cross_entropy) or targets [rows, outputs] (mse); in [-3.4028234663852886e38, 3.4028234663852886e38] */
  y: number[] | Float32Array | Float64Array;
  /** Inputs per row; in [1, 256] */
  features: number;
  /** Share of rows held out for validation (default: none, every row trains); in [0, 0.9]; default 0.0 */
  validation_fraction?: number;
  /** Seeds the split (with validation_fraction); in [0, 4294967295]; default 0 */
  seed?: number;
  /** {rotate, jitter, flip, seed}: a random transform of each training row, drawn afresh every epoch (validation rows never) */
  augment?: AugmentOptions | null;
}

/** A session's data: a synthetic set or your own rows. */
export type DataOptions =
  | SyntheticDataOptions
  | OwnDataOptions;

/** The synthetic data sets. */
export type SyntheticDataKind = "circle" | "xor" | "gauss" | "spiral" | "moons" | "reg_plane" | "reg_gauss";

/** Transforms applied to the training rows as they are drawn. */
export interface AugmentOptions {
  /** Turns the first two inputs (an image: the picture) by a uniform angle in ± this many degrees; in [0, 180]; default 0.0 */
  rotate?: number;
  /** Adds gaussian noise of this standard deviation to every input (an image: shifts it by this many image widths, as a standard deviation); in [0, 1]; default 0.0 */
  jitter?: number;
  /** Mirrors the first input (x → -x; an image: left to right) for half the rows; default false */
  flip?: boolean;
  /** Seeds the transforms; in [0, 4294967295]; default 0 */
  seed?: number;
}

/** One run of a session: a schedule (or phases) and its seeds. */
export interface RunOptions {
  /** Seeds this run's initial weights; in [0, 4294967295]; default 0 */
  seed?: number;
  /** Shuffles this run's batches with its own seed (none: the session's order, the same batches as the other runs); in [0, 4294967295] */
  data_seed?: number | null;
  /** Pretrained parameters of the lowest Linear layers, in nn.Sequential order (weight0, bias0, weight1, …); the layers above start from seed; in [-3.4028234663852886e38, 3.4028234663852886e38] */
  init_params?: number[] | Float32Array | Float64Array | null;
  /** A learning-rate schedule spec; in a phase it counts from the phase's first step */
  schedule?: ScheduleSpec;
  /** Instead of schedule: 1 to 64 phases {steps, schedule, group_lr_mult, frozen, reset_optimizer}, in order; all but the last give steps */
  phases?: PhaseOptions[] | null;
  /** Multiplies the schedule's rate, one per group (default: all 1); in [0, 1000000] */
  group_lr_mult?: number[] | Float32Array | Float64Array | null;
  /** One flag per group: frozen groups do not train (default: none) */
  frozen?: boolean[] | null;
  /** Steps between the validation-loss evaluations that feed a ReduceLROnPlateau schedule; in [1, 1000000000]; default 100 */
  eval_every?: number;
}

/** One phase of a run. */
export interface PhaseOptions {
  /** Optimizer steps the phase lasts; every phase but the last gives it (the last otherwise lasts until its schedule ends); in [1, 1000000000] */
  steps?: number | null;
  /** A learning-rate schedule spec; in a phase it counts from the phase's first step */
  schedule: ScheduleSpec;
  /** Multiplies the schedule's rate, one per group (default: all 1); in [0, 1000000] */
  group_lr_mult?: number[] | Float32Array | Float64Array | null;
  /** One flag per group: frozen groups do not train (default: none) */
  frozen?: boolean[] | null;
  /** Start the phase with a fresh optimizer state: every group's momentum buffer or Adam moments and step count back to zero (fastai's freeze_to/unfreeze clear it); default false */
  reset_optimizer?: boolean;
}

/** What `Session.updateRun(run, update)` changes from the next step on. */
export interface RunUpdate {
  /** A new schedule, counting from 0 at the next step (none: the current schedule goes on) */
  schedule: ScheduleSpec | null;
  /** Multiplies the schedule's rate, one per group (default: all 1); in [0, 1000000] */
  group_lr_mult?: number[] | Float32Array | Float64Array | null;
  /** One flag per group: frozen groups do not train (default: none) */
  frozen?: boolean[] | null;
  /** Start the phase with a fresh optimizer state: every group's momentum buffer or Adam moments and step count back to zero (fastai's freeze_to/unfreeze clear it); default false */
  reset_optimizer?: boolean;
}

/** Ill-conditioned quadratic */
export interface QuadraticSurfaceSpec {
  kind: "quadratic";
  /** Condition number: the curvature along y over that along x; in [0.001, 10000]; default 10.0; log scale */
  kappa?: number;
}

/** Saddle */
export interface SaddleSurfaceSpec {
  kind: "saddle";
}

/** Monkey saddle */
export interface MonkeySaddleSurfaceSpec {
  kind: "monkey_saddle";
}

/** Saddle between two minima */
export interface BoundedSaddleSurfaceSpec {
  kind: "bounded_saddle";
}

/** Rosenbrock's valley */
export interface RosenbrockSurfaceSpec {
  kind: "rosenbrock";
}

/** Beale */
export interface BealeSurfaceSpec {
  kind: "beale";
}

/** Himmelblau */
export interface HimmelblauSurfaceSpec {
  kind: "himmelblau";
}

/** Rastrigin */
export interface RastriginSurfaceSpec {
  kind: "rastrigin";
}

/** Ackley */
export interface AckleySurfaceSpec {
  kind: "ackley";
}

/** Saddle on a plateau */
export interface PlateauSaddleSurfaceSpec {
  kind: "plateau_saddle";
}

/** An analytic surface with its parameters. */
export type SurfaceSpecObject =
  | QuadraticSurfaceSpec
  | SaddleSurfaceSpec
  | MonkeySaddleSurfaceSpec
  | BoundedSaddleSurfaceSpec
  | RosenbrockSurfaceSpec
  | BealeSurfaceSpec
  | HimmelblauSurfaceSpec
  | RastriginSurfaceSpec
  | AckleySurfaceSpec
  | PlateauSaddleSurfaceSpec;

/** Every analytic surface's name. */
export type SurfaceName = "quadratic" | "saddle" | "monkey_saddle" | "bounded_saddle" | "rosenbrock" | "beale" | "himmelblau" | "rastrigin" | "ackley" | "plateau_saddle";

/** A surface by name, or `{kind, ...params}`. */
export type SurfaceSpec = SurfaceName | SurfaceSpecObject;

/** The adagrad optimizer */
export interface AdagradSurfaceOptimizerOptions {
  kind: "adagrad" | "Adagrad";
  /** The rate at step k is lr / (1 + (k - 1) lr_decay); in [0, 1]; default 0.0 */
  lr_decay?: number;
  /** Added to the denominator; in (0, 1]; default 1e-10 */
  eps?: number;
  /** L2 penalty; in [0, 1]; default 0.0 */
  weight_decay?: number;
  /** Starting value of the squared-gradient sum; in [0, 1000000]; default 0.0 */
  initial_accumulator_value?: number;
}

/** The adam optimizer */
export interface AdamSurfaceOptimizerOptions {
  kind: "adam" | "Adam";
  /** (beta1, beta2); a schedule that cycles momentum overrides beta1; in [0, 1]; default [0.9,0.999] */
  betas?: number[] | Float32Array | Float64Array;
  /** Added to the denominator; in (0, 1]; default 1e-8 */
  eps?: number;
  /** Weight decay (L2, added to the gradient); in [0, 1]; default 0.0 */
  weight_decay?: number;
}

/** The adamw optimizer */
export interface AdamwSurfaceOptimizerOptions {
  kind: "adamw" | "AdamW";
  /** (beta1, beta2); a schedule that cycles momentum overrides beta1; in [0, 1]; default [0.9,0.999] */
  betas?: number[] | Float32Array | Float64Array;
  /** Added to the denominator; in (0, 1]; default 1e-8 */
  eps?: number;
  /** Decoupled weight decay; in [0, 1]; default 0.01 */
  weight_decay?: number;
}

/** The rmsprop optimizer */
export interface RmspropSurfaceOptimizerOptions {
  kind: "rmsprop" | "RMSprop";
  /** Smoothing constant of the squared-gradient average; in [0, 1]; default 0.99 */
  alpha?: number;
  /** Added to the denominator; in (0, 1]; default 1e-8 */
  eps?: number;
  /** Momentum factor (a schedule that cycles momentum overrides it); in [0, 1]; default 0.0 */
  momentum?: number;
  /** Divide by the gradient's estimated variance rather than its raw second moment; default false */
  centered?: boolean;
  /** L2 penalty; in [0, 1]; default 0.0 */
  weight_decay?: number;
}

/** The sgd optimizer */
export interface SgdSurfaceOptimizerOptions {
  kind: "sgd" | "SGD";
  /** Momentum factor (a schedule that cycles momentum overrides it); in [0, 1]; default 0.0 */
  momentum?: number;
  /** Dampening for momentum; in [0, 1]; default 0.0 */
  dampening?: number;
  /** Nesterov momentum; default false */
  nesterov?: boolean;
  /** L2 penalty; in [0, 1]; default 0.0 */
  weight_decay?: number;
}

/** A trajectory's optimizer (default: plain SGD). */
export type SurfaceOptimizerOptions =
  | AdagradSurfaceOptimizerOptions
  | AdamSurfaceOptimizerOptions
  | AdamwSurfaceOptimizerOptions
  | RmspropSurfaceOptimizerOptions
  | SgdSurfaceOptimizerOptions;

/** What `surfaceGrid(options)` takes. */
export interface SurfaceGridOptions {
  /** A surface name ("rosenbrock") or {kind, ...params}, e.g. {kind: "quadratic", kappa: 100} */
  surface: SurfaceSpec;
  /** The grid's x range [lo, hi], both ends included; in [-1000000, 1000000] */
  x: number[] | Float32Array | Float64Array;
  /** The grid's y range [lo, hi], both ends included; in [-1000000, 1000000] */
  y: number[] | Float32Array | Float64Array;
  /** Grid points along x; in [2, 1024] */
  nx: number;
  /** Grid points along y; in [2, 1024] */
  ny: number;
}

/** One optimizer path on a surface, as `trajectory(spec)` takes it. */
export interface TrajectorySpec {
  /** A surface name ("rosenbrock") or {kind, ...params}, e.g. {kind: "quadratic", kappa: 100} */
  surface: SurfaceSpec;
  /** The starting point [x, y], inside the surface's domain; in [-1000000, 1000000] */
  start: number[] | Float32Array | Float64Array;
  /** {kind: sgd | adam | adamw | rmsprop | adagrad, ...} (default: plain SGD) */
  optimizer?: SurfaceOptimizerOptions | null;
  /** A learning-rate schedule spec, stepped once per update */
  schedule: ScheduleSpec;
  /** Optimizer updates; in [1, 100000] */
  steps: number;
  /** Standard deviation of the Gaussian noise added to each gradient component; in [0, 1000000]; default 0.0 */
  noise?: number;
  /** Seeds the gradient noise; in [0, 4294967295]; default 0 */
  seed?: number;
}

/** fastai fit_one_cycle over the groups: one cosine cycle per group at its own peak (a slice spreads them), momentum mirrored; freeze_to freezes the lowest groups first. */
export interface FitOneCyclePlanSpec {
  method: "fit_one_cycle";
  /** Layer groups, as the session's groups; in [1, 16] */
  n_groups: number;
  /** Training batches per epoch; in [1, 1000000] */
  steps_per_epoch: number;
  /** Epochs to train; in [1, 1000000] */
  n_epoch: number;
  /** Peak rate: a number for every group, {slice: [lo, hi]} (fastai's even_mults) or {slice: [null, hi]} (hi/10 below the last group); in (0, 100]; default 0.001; log scale */
  lr_max?: number | RateSlice;
  /** Start at lr_max / div; in (0, 1000000000]; default 25.0; log scale */
  div?: number;
  /** End at lr_max / div_final; in (0, 1000000000000]; default 100000.0; log scale */
  div_final?: number;
  /** Fraction of training spent warming up; in (0, 1]; default 0.25 */
  pct_start?: number;
  /** Momentum at the start, the peak rate, and the end; in [0, 1]; default [0.95,0.85,0.95] */
  moms?: number[] | Float32Array | Float64Array;
  /** Freeze groups 0..k-1 first (fastai's freeze_to; a negative k counts from the end); none: every group trains; in [-16, 15] */
  freeze_to?: number | null;
}

/** fastai fine_tune: freeze_epochs training the last group (one-cycle, pct_start 0.99), then every group unfrozen with discriminative rates from base_lr/2/lr_mult to base_lr/2. */
export interface FineTunePlanSpec {
  method: "fine_tune";
  /** Layer groups, as the session's groups; in [1, 16] */
  n_groups: number;
  /** Training batches per epoch; in [1, 1000000] */
  steps_per_epoch: number;
  /** Epochs with every group unfrozen; in [1, 1000000] */
  epochs: number;
  /** The top group's peak rate while frozen (halved after); in (0, 100]; default 0.002; log scale */
  base_lr?: number;
  /** Epochs training only the last group first; in [0, 1000000]; default 1 */
  freeze_epochs?: number;
  /** Unfrozen, the first group's peak is the last group's / lr_mult; in (0, 1000000]; default 100.0; log scale */
  lr_mult?: number;
  /** Fraction of the unfrozen epochs spent warming up; in (0, 1]; default 0.3 */
  pct_start?: number;
  /** Unfrozen, each group starts at its peak / div; in (0, 1000000000]; default 5.0; log scale */
  div?: number;
}

/** ULMFiT (Howard & Ruder 2018): one more group unfrozen each epoch from the top, each group at the next one's rate / factor, slanted triangular rates over the whole run. */
export interface GradualUnfreezingPlanSpec {
  method: "gradual_unfreezing";
  /** Layer groups, as the session's groups; in [1, 16] */
  n_groups: number;
  /** Training batches per epoch; in [1, 1000000] */
  steps_per_epoch: number;
  /** Epochs in all; one more group trains each epoch (default: n_groups, the last epoch trains every group); in [1, 1000000] */
  epochs?: number | null;
  /** The top group's peak rate (η_max); in (0, 100]; default 0.01; log scale */
  lr_max?: number;
  /** Each group's rate is the next group's / factor (ULMFiT: 2.6); in [1, 100]; default 2.6; log scale */
  factor?: number;
  /** Fraction of steps spent increasing the rate; in (0, 1]; default 0.1 */
  cut_frac?: number;
  /** How much larger the peak is than the lowest rate; in [1, 1000000]; default 32.0; log scale */
  ratio?: number;
}

/** fastai fit_sgdr over the groups: n_cycles cosine cycles from each group's lr_max to 0, each cycle_mult times longer. */
export interface FitSgdrPlanSpec {
  method: "fit_sgdr";
  /** Layer groups, as the session's groups; in [1, 16] */
  n_groups: number;
  /** Training batches per epoch; in [1, 1000000] */
  steps_per_epoch: number;
  /** Number of cosine cycles; in [1, 30] */
  n_cycles: number;
  /** Epochs in the first cycle; in [1, 1000000] */
  cycle_len: number;
  /** Peak rate: a number for every group, {slice: [lo, hi]} (fastai's even_mults) or {slice: [null, hi]} (hi/10 below the last group); in (0, 100]; default 0.001; log scale */
  lr_max?: number | RateSlice;
  /** Each cycle is cycle_mult times longer (fastai: 2 or more); in [1, 10]; default 2 */
  cycle_mult?: number;
}

/** A per-group plan, as `planGroups(spec)` takes it. */
export type PlanSpec =
  | FitOneCyclePlanSpec
  | FineTunePlanSpec
  | GradualUnfreezingPlanSpec
  | FitSgdrPlanSpec;

/** Every per-group plan method's name. */
export type PlanMethod = PlanSpec["method"];

/** The range test as fastai runs it. */
export interface FastaiRangeTestOptions {
  convention?: "fastai";
  /** The first rate tried; in (0, 100]; default 1e-7; log scale */
  start_lr?: number;
  /** The rate the test grows towards; in (0, 1000000]; default 10.0; log scale */
  end_lr?: number;
  /** Batches the rate grows over; in [2, 100000]; default 100 */
  num_it?: number;
  /** exp: log-spaced rates; linear: evenly spaced (torch_lr_finder only); default "exp" */
  step_mode?: "exp" | "linear";
  /** fastai: stop once the smoothed loss exceeds 4 × the best; default true */
  stop_div?: boolean;
}

/** The range test as torch_lr_finder runs it. */
export interface TorchLrFinderRangeTestOptions {
  convention: "torch_lr_finder";
  /** The first rate tried; in (0, 100]; default 1e-7; log scale */
  start_lr?: number;
  /** The rate the test grows towards; in (0, 1000000]; default 10.0; log scale */
  end_lr?: number;
  /** Batches the rate grows over; in [2, 100000]; default 100 */
  num_it?: number;
  /** exp: log-spaced rates; linear: evenly spaced (torch_lr_finder only); default "exp" */
  step_mode?: "exp" | "linear";
  /** torch_lr_finder: weight of the new loss in the smoothing, in [0, 1); in [0, 1]; default 0.05 */
  smooth_f?: number;
  /** torch_lr_finder: stop once the loss exceeds diverge_th × the best; in [1, 1000000000]; default 5.0 */
  diverge_th?: number;
}

/** What `LrFinder.run(session, options)` takes: each convention with its own fields. */
export type RangeTestOptions =
  | FastaiRangeTestOptions
  | TorchLrFinderRangeTestOptions;

/** What `LrFinder.verify(session, options)` takes. */
export interface VerifyOptions {
  /** The rates to train at (1 to 64); in (0, 100] */
  candidates: number[] | Float32Array | Float64Array;
  /** Optimizer steps per training; in [1, 100000]; default 100 */
  steps?: number;
  /** one_cycle: PyTorch OneCycleLR with max_lr = the candidate; fit_one_cycle: fastai's; constant: the rate throughout; default "one_cycle" */
  schedule?: "one_cycle" | "fit_one_cycle" | "constant";
  /** The run whose current parameters each training starts from; in [0, 1000000]; default 0 */
  run?: number;
}

/** What `session.landscape(options)` takes. */
export interface LandscapeOptions {
  /** The run whose parameters are the centre; in [0, 4294967295]; default 0 */
  run?: number;
  /** Points per side of the square grid (odd: the centre is a point); in [3, 51]; default 25 */
  grid?: number;
  /** The grid covers -span..span along each direction; in (0, 100]; default 1.0 */
  span?: number;
  /** Seeds the two random directions; in [0, 4294967295]; default 0 */
  seed?: number;
  /** The data the loss is measured on (validation falls back to train when there are no validation rows); default "validation" */
  set?: "train" | "validation";
  /** Move the biases too (each layer's bias vector normalised as one filter); by default they stay put; default false */
  biases?: boolean;
}

/** What `session.projectTrajectory(params, options)` takes. */
export interface ProjectTrajectoryOptions {
  /** Points per side of the square grid (odd: the centre is a point); in [3, 51]; default 25 */
  grid?: number;
  /** Room around the path, as a share of its larger extent; in [0, 10]; default 0.25 */
  margin?: number;
  /** The data the loss is measured on (validation falls back to train when there are no validation rows); default "validation" */
  set?: "train" | "validation";
}

/** The plateau race's own options. */
export interface PlateauRaceFields {
  /** Multiplies every initial parameter (small: start near the saddle at 0); in (0, 1]; default 0.2 */
  init_scale?: number;
  /** Initialisations per schedule (seeds 0..seeds-1); in [1, 16]; default 5 */
  seeds?: number;
  /** Training steps of the race; in [100, 20000]; default 1500 */
  steps?: number;
  /** A run has escaped once its smoothed loss is below threshold × its plateau loss; in (0, 1]; default 0.5 */
  threshold?: number;
  /** The contestants: [{name, schedule}, ...] (default: five) */
  schedules?: RaceSchedule[];
}

/** What `plateauRace(options)` takes: the race's options and the session options it passes on (its own defaults where left out). */
export type PlateauRaceOptions = PlateauRaceFields & Partial<Pick<SessionOptions, "backend" | "layers" | "activation" | "loss" | "optimizer" | "data" | "batch_size" | "shuffle" | "seed">>;
