//! The device layer, through wgpu: natively on Vulkan (lavapipe in CI, a real GPU when there is
//! one), in the browser on WebGPU. One code path for both; the only difference is who drives
//! buffer mapping (natively we poll the device, in the browser the event loop does). It knows no
//! program: the engine's live in `engine/backend/gpu/`, the benches' matmul in `benches/matmul/`.

// Test support only (naga is a native dev-dependency): WGSL structs against their Rust twins.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod layout;
mod pipelines;

use std::fmt;
use std::sync::{Arc, Mutex};

use futures_channel::oneshot;
use wgpu::util::DeviceExt;

pub use pipelines::Binding;

/// Why the GPU path is unavailable or failed; the caller falls back to the CPU path.
#[derive(Clone, Debug, PartialEq)]
pub enum GpuError {
    /// No adapter: WebGPU missing or disabled, or no Vulkan device natively.
    NoAdapter(String),
    /// The adapter refused a device with the limits we need.
    NoDevice(String),
    /// A readback failed, typically because the device was lost.
    Readback(String),
    /// The request does not fit the device's limits.
    TooLarge(String),
    /// The device was lost (driver reset, `destroy()`) or reported an error; its buffers are gone.
    Lost(String),
    /// The request does not match its network or data set (sizes, kinds of target): the caller's
    /// mistake, which the CPU path would not accept either.
    Invalid(String),
}

impl fmt::Display for GpuError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GpuError::NoAdapter(why) => write!(f, "no GPU adapter: {why}"),
            GpuError::NoDevice(why) => write!(f, "the GPU adapter refused a device: {why}"),
            GpuError::Readback(why) => write!(f, "reading results back from the GPU failed: {why}"),
            GpuError::TooLarge(why) => write!(f, "too large for this GPU: {why}"),
            GpuError::Lost(why) => write!(f, "the GPU device was lost or failed: {why}"),
            GpuError::Invalid(why) => write!(f, "invalid GPU request: {why}"),
        }
    }
}

impl std::error::Error for GpuError {}

/// Dispatches `groups` workgroups (at least one), spread over y past `most` a dimension: the
/// shaders flatten the grid again from `num_workgroups`.
pub fn dispatch(pass: &mut wgpu::ComputePass, groups: u32, most: u32) {
    let groups = groups.max(1);
    let x = groups.min(most);
    pass.dispatch_workgroups(x, groups.div_ceil(x), 1);
}

/// Keeps a device's first failure: the later ones follow from it.
fn record_failure(failure: &Mutex<Option<String>>, why: String) {
    if let Ok(mut slot) = failure.lock() {
        slot.get_or_insert(why);
    }
}

/// A device and its queue, with a name for the adapter that users can recognise.
///
/// Cloning is cheap: wgpu's device and queue are shared handles, so every clone drives the same
/// device (and sees the same failure), as several users of one GPU do.
#[derive(Clone)]
pub struct Gpu {
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
    pub adapter_name: String,
    /// The first error the device reported (loss, validation): once set, results are not trusted.
    failure: Arc<Mutex<Option<String>>>,
    /// Pipelines compiled on this device, kept for whoever asks for the same again (`compute_pipelines`).
    built: Arc<Mutex<Vec<pipelines::Built>>>,
}

impl Gpu {
    /// The default adapter with its own limits (so small adapters still work, with smaller tiles).
    pub async fn new() -> Result<Self, GpuError> {
        // In the browser, wgpu panics where `navigator.gpu` is unreachable (Node, shared workers):
        // ask first, so a missing WebGPU is an error the caller can fall back from.
        #[cfg(target_arch = "wasm32")]
        if !wgpu::util::is_browser_webgpu_supported().await {
            return Err(GpuError::NoAdapter("WebGPU is not available here".into()));
        }
        let instance = wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle());
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions::default())
            .await
            .map_err(|e| GpuError::NoAdapter(e.to_string()))?;
        let info = adapter.get_info();
        let adapter_name = match (info.name.trim(), info.device_type) {
            ("", wgpu::DeviceType::Cpu) => "software adapter".to_string(),
            ("", _) => "unnamed adapter".to_string(),
            (name, _) => name.to_string(),
        };
        let descriptor = wgpu::DeviceDescriptor {
            label: Some("lr-playground"),
            required_limits: adapter.limits(),
            ..Default::default()
        };
        let (device, queue) =
            adapter.request_device(&descriptor).await.map_err(|e| GpuError::NoDevice(e.to_string()))?;
        // wgpu's default handlers panic; a lost or failing device is a normal state here, recorded
        // so the caller can fall back to the CPU path.
        let failure = Arc::new(Mutex::new(None));
        let on_error = failure.clone();
        device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| record_failure(&on_error, e.to_string())));
        let on_lost = failure.clone();
        device.set_device_lost_callback(move |reason, message| {
            record_failure(&on_lost, format!("{reason:?}: {message}"))
        });
        Ok(Self { device, queue, adapter_name, failure, built: Arc::default() })
    }

    /// The most bytes one storage binding may hold here: the adapter's binding and buffer limits,
    /// and never past 4 GiB, as the shaders index with u32.
    pub fn largest_binding(&self) -> u64 {
        let limits = self.device.limits();
        limits.max_storage_buffer_binding_size.min(limits.max_buffer_size).min(u32::MAX as u64)
    }

    /// A storage buffer (with `usage` besides) holding `bytes`; wgpu rejects empty bindings, so a
    /// single zero stands in for none.
    pub fn storage_buffer(&self, label: &str, bytes: &[u8], usage: wgpu::BufferUsages) -> wgpu::Buffer {
        self.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some(label),
            contents: if bytes.is_empty() { &[0; 4] } else { bytes },
            usage: wgpu::BufferUsages::STORAGE | usage,
        })
    }

    /// A uniform buffer holding `bytes`.
    pub fn uniform_buffer(&self, label: &str, bytes: &[u8]) -> wgpu::Buffer {
        self.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some(label),
            contents: bytes,
            usage: wgpu::BufferUsages::UNIFORM,
        })
    }

    /// Destroys the device as a driver reset would, and records it at once: its lost callback
    /// comes later, and nothing may take the device for new work meanwhile.
    pub fn destroy(&self) {
        record_failure(&self.failure, "the device was destroyed".into());
        self.device.destroy();
    }

    /// The device's first reported error, if any.
    pub fn failure(&self) -> Option<String> {
        self.failure.lock().ok().and_then(|slot| slot.clone())
    }

    /// Waits until the GPU has run everything submitted so far, without reading anything back:
    /// a caller that streams more data through `queue.write_buffer` than it wants staged at once
    /// waits here before staging the next part.
    pub async fn finish_submitted(&self) -> Result<(), GpuError> {
        let (sender, receiver) = oneshot::channel();
        self.queue.on_submitted_work_done(move || {
            // The receiver is only gone if the caller stopped waiting; nothing to report then.
            let _ = sender.send(());
        });
        self.settle(receiver).await
    }

    /// The value a GPU callback sends once the device gets to it. Natively nothing runs the
    /// callbacks until the device is polled, so this blocks in `poll`; in the browser the event
    /// loop runs them and this only awaits. A device that failed meanwhile is an error.
    async fn settle<T>(&self, receiver: oneshot::Receiver<T>) -> Result<T, GpuError> {
        #[cfg(not(target_arch = "wasm32"))]
        self.device.poll(wgpu::PollType::wait_indefinitely()).map_err(|e| GpuError::Lost(e.to_string()))?;
        let value = receiver.await.map_err(|_| GpuError::Lost("the device dropped the request".into()))?;
        if let Some(why) = self.failure() {
            return Err(GpuError::Lost(why));
        }
        Ok(value)
    }

    /// Copies a storage buffer's f32s back to the CPU.
    pub async fn read_f32(&self, source: &wgpu::Buffer) -> Result<Vec<f32>, GpuError> {
        let mut all = self.read_f32s(&[source]).await?;
        Ok(all.pop().unwrap_or_default())
    }

    /// Copies several storage buffers back with one staging buffer and one map: mapping is
    /// asynchronous on every backend (the GPU may still be writing) and costs milliseconds in a
    /// browser, so one wait per readback, never one per buffer.
    pub async fn read_f32s(&self, sources: &[&wgpu::Buffer]) -> Result<Vec<Vec<f32>>, GpuError> {
        let total: u64 = sources.iter().map(|b| b.size()).sum();
        let staging = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("readback"),
            size: total,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut encoder = self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor::default());
        let mut offset = 0;
        for source in sources {
            encoder.copy_buffer_to_buffer(source, 0, &staging, offset, source.size());
            offset += source.size();
        }
        self.queue.submit([encoder.finish()]);

        let (sender, receiver) = oneshot::channel();
        staging.slice(..).map_async(wgpu::MapMode::Read, move |result| {
            // The receiver is only gone if the caller stopped waiting; nothing to report then.
            let _ = sender.send(result);
        });
        self.settle(receiver).await?.map_err(|e| GpuError::Readback(e.to_string()))?;
        let values = {
            let view = staging.slice(..).get_mapped_range().map_err(|e| GpuError::Readback(e.to_string()))?;
            let all: &[f32] = bytemuck::cast_slice(&view);
            let mut start = 0;
            sources
                .iter()
                .map(|b| {
                    let len = (b.size() / 4) as usize;
                    start += len;
                    all[start - len..start].to_vec()
                })
                .collect()
        };
        staging.unmap();
        Ok(values)
    }
}
