//! The two libraries' loss smoothing and stop rules, one point at a time.

/// fastai's `AvgSmoothLoss`: `val = torch.lerp(loss, val, beta)` in float32 and the debiased
/// `val / (1 - beta**count)`, as the Recorder records it.
#[derive(Clone, Copy, Debug)]
pub struct FastaiSmoother {
    beta: f64,
    val: f32,
    count: u32,
}

impl FastaiSmoother {
    pub fn new(beta: f64) -> Self {
        Self { beta, val: 0.0, count: 0 }
    }

    pub fn next(&mut self, loss: f32) -> f32 {
        self.count += 1;
        let weight = self.beta as f32;
        // torch's CPU lerp(start, end, weight) kernel, fused as it runs there (held bit for bit to
        // the fixtures): fma(weight, end - start, start) below 0.5, fma(weight - 1, end - start, end) above.
        let (coeff, base) = if weight.abs() < 0.5 { (weight, loss) } else { (weight - 1.0, self.val) };
        self.val = coeff.mul_add(self.val - loss, base);
        // The Python float divisor meets a float32 tensor: it is cast to float32 first.
        self.val / (1.0 - self.beta.powf(self.count as f64)) as f32
    }
}

/// torch-lr-finder: `s_0 = raw_0`, `s_i = f * raw_i + (1 - f) * s_{i-1}` in float64 (none when f = 0).
#[derive(Clone, Copy, Debug)]
pub struct TorchSmoother {
    smooth_f: f64,
    last: Option<f64>,
}

impl TorchSmoother {
    pub fn new(smooth_f: f64) -> Self {
        Self { smooth_f, last: None }
    }

    pub fn next(&mut self, loss: f64) -> f64 {
        let smoothed = match self.last {
            Some(last) if self.smooth_f > 0.0 => self.smooth_f * loss + (1.0 - self.smooth_f) * last,
            _ => loss,
        };
        self.last = Some(smoothed);
        smoothed
    }
}

/// How a recorded curve is smoothed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Smoothing {
    Fastai { beta: f64 },
    TorchLrFinder { smooth_f: f64 },
}

/// `losses` smoothed as the library does it (fastai's values are float32, widened).
pub fn smooth_losses(losses: &[f64], smoothing: Smoothing) -> Vec<f64> {
    match smoothing {
        Smoothing::Fastai { beta } => {
            let mut s = FastaiSmoother::new(beta);
            losses.iter().map(|&l| s.next(l as f32) as f64).collect()
        }
        Smoothing::TorchLrFinder { smooth_f } => {
            let mut s = TorchSmoother::new(smooth_f);
            losses.iter().map(|&l| s.next(l)).collect()
        }
    }
}

/// When a run's range test stops.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StopRule {
    /// fastai: after recording the first smoothed loss above 4 × the best so far (float32).
    Fastai { stop_div: bool },
    /// torch-lr-finder: after appending the first loss above `diverge_th` × the best so far.
    TorchLrFinder { diverge_th: f64 },
}

enum State {
    Fastai { smoother: FastaiSmoother, best: f32, stop_div: bool },
    Torch { smoother: TorchSmoother, best: Option<f64>, diverge_th: f64 },
}

/// One run's record: raw and smoothed losses, and whether its stop rule has fired.
pub struct Recorder {
    pub raw: Vec<f32>,
    pub smoothed: Vec<f64>,
    pub stopped: bool,
    state: State,
}

/// fastai's Recorder smooths with beta 0.98 (`Recorder(beta=0.98)`).
pub const FASTAI_BETA: f64 = 0.98;

impl Recorder {
    pub fn new(rule: StopRule, smooth_f: f64) -> Self {
        let state = match rule {
            StopRule::Fastai { stop_div } => {
                State::Fastai { smoother: FastaiSmoother::new(FASTAI_BETA), best: f32::INFINITY, stop_div }
            }
            StopRule::TorchLrFinder { diverge_th } => {
                State::Torch { smoother: TorchSmoother::new(smooth_f), best: None, diverge_th }
            }
        };
        Self { raw: Vec::new(), smoothed: Vec::new(), stopped: false, state }
    }

    /// Records one batch's loss; returns the smoothed value. Sets `stopped` when the rule fires.
    pub fn push(&mut self, loss: f32) -> f64 {
        self.raw.push(loss);
        let smoothed = match &mut self.state {
            State::Fastai { smoother, best, stop_div } => {
                let s = smoother.next(loss);
                if s < *best {
                    *best = s;
                }
                self.stopped = *stop_div && s > 4.0 * *best;
                s as f64
            }
            State::Torch { smoother, best, diverge_th } => {
                // The first loss is the best as it is; later ones are compared smoothed.
                let s = smoother.next(loss as f64);
                let b = match *best {
                    Some(b) if s < b => s,
                    Some(b) => b,
                    None => s,
                };
                *best = Some(b);
                self.stopped = s > *diverge_th * b;
                s
            }
        };
        self.smoothed.push(smoothed);
        smoothed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fastai_smoothing_is_debiased() {
        // One value: lerp(l, 0, 0.98) = 0.02 l, divided by 1 - 0.98 = 0.02: l again (to float32 rounding of 0.02).
        let s = smooth_losses(&[2.0, 2.0, 2.0], Smoothing::Fastai { beta: 0.98 });
        assert!(s.iter().all(|v| (v - 2.0).abs() < 1e-5), "{s:?}");
    }

    #[test]
    fn torch_smoothing_starts_at_the_first_loss() {
        let s = smooth_losses(&[1.0, 3.0, 3.0], Smoothing::TorchLrFinder { smooth_f: 0.5 });
        assert_eq!(s, vec![1.0, 2.0, 2.5]);
        assert_eq!(smooth_losses(&[1.0, 3.0], Smoothing::TorchLrFinder { smooth_f: 0.0 }), vec![1.0, 3.0]);
    }

    #[test]
    fn stop_rules_fire_after_recording_the_point() {
        let mut fastai = Recorder::new(StopRule::Fastai { stop_div: true }, 0.0);
        let mut at = None;
        for (i, l) in [1.0f32, 1.0, 1.0, 1000.0, 1.0].iter().enumerate() {
            fastai.push(*l);
            if fastai.stopped {
                at = Some(i);
                break;
            }
        }
        assert_eq!((at, fastai.raw.len()), (Some(3), 4));
        let mut never = Recorder::new(StopRule::Fastai { stop_div: false }, 0.0);
        never.push(1.0);
        never.push(1e6);
        assert!(!never.stopped);
        let mut torch = Recorder::new(StopRule::TorchLrFinder { diverge_th: 5.0 }, 0.0);
        torch.push(1.0);
        torch.push(5.0);
        assert!(!torch.stopped);
        torch.push(5.5);
        assert!(torch.stopped);
        assert_eq!(torch.smoothed, vec![1.0, 5.0, 5.5]);
    }
}
