//! Where a session meets a GPU by name: moving its runs onto one, and losing it. Everything
//! else a session asks of its backends goes through `Backends` without naming a device.

use crate::gpu::{Gpu, GpuError};

use super::Session;

impl Session {
    /// Moves training onto `gpu`, starting from the current state of every run.
    pub fn use_gpu(&mut self, gpu: Gpu) -> Result<(), GpuError> {
        let shape = self.planner.shape();
        self.backends.attach(gpu, &self.data.train, shape)
    }

    /// Destroys the GPU device under the session, as a driver reset would; the next step notices.
    pub fn lose_gpu_device(&self) {
        self.backends.lose_device();
    }
}
