//! A network's parameters as a safetensors file with PyTorch's names, so that
//! `nn.Sequential(Linear, act, ..., Linear).load_state_dict(safetensors.torch.load_file(p))` takes
//! what we write as is, and a file `safetensors.torch.save_file(model.state_dict(), p)` wrote
//! comes back in. Linear layer `l` is module `2 l` of the Sequential (the activations sit between),
//! so its tensors are `"{2l}.weight"` (F32, `[out, in]`) and `"{2l}.bias"` (F32, `[out]`): the same
//! values, in the same order, as the flat parameter vector.

use safetensors::tensor::{Dtype, SafeTensors, TensorView};

use super::Mlp;
use crate::spec::SpecError;

/// The bytes of a file that holds nothing but `mlp`'s tensors: its header grows with the layer
/// count only, and no file of ours or PyTorch's comes near this much.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// One tensor of the network: its name, shape and where its values sit in the flat parameters.
struct TensorSlot {
    name: String,
    shape: Vec<usize>,
    start: usize,
    len: usize,
}

/// Every tensor of `mlp`, in parameter order.
fn slots(mlp: &Mlp) -> Vec<TensorSlot> {
    (0..mlp.linear_count())
        .flat_map(|l| {
            let (fan_in, fan_out) = mlp.shape(l);
            let weight = TensorSlot {
                name: format!("{}.weight", 2 * l),
                shape: vec![fan_out, fan_in],
                start: mlp.weight_offset(l),
                len: fan_in * fan_out,
            };
            let bias = TensorSlot {
                name: format!("{}.bias", 2 * l),
                shape: vec![fan_out],
                start: mlp.bias_offset(l),
                len: fan_out,
            };
            [weight, bias]
        })
        .collect()
}

/// The largest file [`read`] considers for `mlp`: its values and a generous header.
pub fn max_file_bytes(mlp: &Mlp) -> usize {
    4 * mlp.param_count() + MAX_HEADER_BYTES
}

/// `params` (in `Mlp` order) as safetensors bytes, laid out as `safetensors.torch.save_file` lays
/// out the same state dict. `params` must have `mlp.param_count()` values.
pub fn write(mlp: &Mlp, params: &[f32]) -> Result<Vec<u8>, SpecError> {
    let slots = slots(mlp);
    let bytes: Vec<Vec<u8>> = slots
        .iter()
        .map(|s| {
            params.get(s.start..s.start + s.len).unwrap_or_default().iter().flat_map(|v| v.to_le_bytes()).collect()
        })
        .collect();
    let views = slots
        .iter()
        .zip(&bytes)
        .map(|(s, b)| {
            let view = TensorView::new(Dtype::F32, s.shape.clone(), b);
            view.map(|v| (s.name.as_str(), v)).map_err(|e| SpecError::new(s.name.as_str(), e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    safetensors::serialize(views, None).map_err(|e| SpecError::new("params", e.to_string()))
}

/// The parameters (in `Mlp` order) a safetensors file holds for `mlp`. Refuses, naming the
/// tensor in `field` (or `"bytes"` for a file that is not safetensors), a file with a tensor
/// missing, one too many, of another dtype or shape, or with a value that is not finite.
pub fn read(mlp: &Mlp, bytes: &[u8]) -> Result<Vec<f32>, SpecError> {
    if bytes.len() > max_file_bytes(mlp) {
        let message = format!(
            "is {} bytes, more than a safetensors file of this network's {} parameters can be",
            bytes.len(),
            mlp.param_count()
        );
        return Err(SpecError::new("bytes", message));
    }
    let file = SafeTensors::deserialize(bytes)
        .map_err(|e| SpecError::new("bytes", format!("is not a safetensors file ({e})")))?;
    let slots = slots(mlp);
    let expected = || slots.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ");
    let mut names = file.names();
    names.sort_unstable();
    if let Some(extra) = names.iter().find(|n| !slots.iter().any(|s| s.name == **n)) {
        let message = format!("is not a tensor of this network, whose tensors are {}", expected());
        return Err(SpecError::new(*extra, message));
    }
    let mut params = vec![0.0; mlp.param_count()];
    for slot in &slots {
        let field = slot.name.as_str();
        let tensor = file
            .tensor(field)
            .map_err(|_| SpecError::new(field, format!("is missing: this network's tensors are {}", expected())))?;
        if tensor.dtype() != Dtype::F32 {
            let message = format!("is {}; this network takes F32 (save the model after model.float())", tensor.dtype());
            return Err(SpecError::new(field, message));
        }
        if tensor.shape() != slot.shape.as_slice() {
            let message = format!("has shape {:?}; this network needs {:?}", tensor.shape(), slot.shape);
            return Err(SpecError::new(field, message));
        }
        let values = tensor.data().chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        for (i, (param, value)) in params[slot.start..slot.start + slot.len].iter_mut().zip(values).enumerate() {
            if !value.is_finite() {
                return Err(SpecError::new(field, format!("holds {value} at flat index {i}: values must be finite")));
            }
            *param = value;
        }
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Activation, Loss};

    fn mlp(layers: &[usize]) -> Mlp {
        Mlp { layers: layers.to_vec(), activation: Activation::Relu, loss: Loss::CrossEntropy }
    }

    fn numbered(m: &Mlp) -> Vec<f32> {
        (0..m.param_count()).map(|i| i as f32 * 0.5 - 3.0).collect()
    }

    fn refusal(m: &Mlp, bytes: &[u8]) -> (String, String) {
        let e = read(m, bytes).err().unwrap_or_else(|| SpecError::new("", "accepted"));
        (e.field.clone(), e.message.clone())
    }

    /// A file of the given tensors, each filled with `fill`.
    fn file_of(tensors: &[(&str, Dtype, &[usize])], fill: f32) -> Vec<u8> {
        let data: Vec<Vec<u8>> = tensors
            .iter()
            .map(|(_, dtype, shape)| {
                let n: usize = shape.iter().product();
                match dtype {
                    Dtype::F64 => (0..n).flat_map(|_| (fill as f64).to_le_bytes()).collect(),
                    _ => (0..n).flat_map(|_| fill.to_le_bytes()).collect(),
                }
            })
            .collect();
        let views = tensors.iter().zip(&data).map(|((name, dtype, shape), d)| {
            (name.to_string(), TensorView::new(*dtype, shape.to_vec(), d).unwrap_or_else(|e| panic!("{e}")))
        });
        safetensors::serialize(views, None).unwrap_or_default()
    }

    #[test]
    fn names_and_shapes_are_pytorchs() {
        let m = mlp(&[3, 5, 4, 2]);
        let names: Vec<(String, Vec<usize>)> = slots(&m).into_iter().map(|s| (s.name, s.shape)).collect();
        let want = [("0.weight", vec![5, 3]), ("0.bias", vec![5]), ("2.weight", vec![4, 5]), ("2.bias", vec![4])];
        assert_eq!(names[..4], want.map(|(n, s)| (n.to_string(), s)));
        assert_eq!(names[4], ("4.weight".to_string(), vec![2, 4]));
        assert_eq!(names.len(), 6);
    }

    #[test]
    fn what_is_written_reads_back() {
        let m = mlp(&[3, 5, 4, 2]);
        let bytes = write(&m, &numbered(&m)).unwrap_or_default();
        assert_eq!(read(&m, &bytes), Ok(numbered(&m)));
    }

    #[test]
    fn a_file_that_does_not_fit_is_refused_by_tensor() {
        let m = mlp(&[2, 3, 2]);
        let good = [
            ("0.weight", Dtype::F32, &[3, 2][..]),
            ("0.bias", Dtype::F32, &[3][..]),
            ("2.weight", Dtype::F32, &[2, 3][..]),
            ("2.bias", Dtype::F32, &[2][..]),
        ];
        assert_eq!(read(&m, &file_of(&good, 0.25)), Ok(vec![0.25; m.param_count()]));
        let all = "0.weight, 0.bias, 2.weight, 2.bias";
        assert_eq!(
            refusal(&m, &file_of(&good[..3], 0.0)),
            ("2.bias".into(), format!("is missing: this network's tensors are {all}"))
        );
        let mut more = good.to_vec();
        more.push(("4.weight", Dtype::F32, &[2, 2]));
        assert_eq!(
            refusal(&m, &file_of(&more, 0.0)),
            ("4.weight".into(), format!("is not a tensor of this network, whose tensors are {all}"))
        );
        let mut prefixed = good.to_vec();
        prefixed[0].0 = "model.0.weight";
        assert_eq!(refusal(&m, &file_of(&prefixed, 0.0)).0, "model.0.weight");
        let mut wide = good.to_vec();
        wide[2].2 = &[2, 4];
        assert_eq!(
            refusal(&m, &file_of(&wide, 0.0)),
            ("2.weight".into(), "has shape [2, 4]; this network needs [2, 3]".into())
        );
        let mut transposed = good.to_vec();
        transposed[0].2 = &[2, 3];
        assert_eq!(refusal(&m, &file_of(&transposed, 0.0)).0, "0.weight");
        let mut double = good.to_vec();
        double[1].1 = Dtype::F64;
        assert_eq!(
            refusal(&m, &file_of(&double, 0.0)),
            ("0.bias".into(), "is F64; this network takes F32 (save the model after model.float())".into())
        );
        assert_eq!(
            refusal(&m, &file_of(&good, f32::NAN)),
            ("0.weight".into(), "holds NaN at flat index 0: values must be finite".into())
        );
    }

    #[test]
    fn bytes_that_are_not_safetensors_are_refused() {
        let m = mlp(&[2, 3, 2]);
        for bytes in [&b""[..], b"not a file at all", &[255; 16]] {
            let (field, message) = refusal(&m, bytes);
            assert_eq!(field, "bytes");
            assert!(message.starts_with("is not a safetensors file ("), "{message}");
        }
        let (field, message) = refusal(&m, &vec![0; max_file_bytes(&m) + 1]);
        assert_eq!(
            (field.as_str(), message.as_str()),
            ("bytes", "is 65605 bytes, more than a safetensors file of this network's 17 parameters can be")
        );
    }
}
