import { describe, expect, test } from 'vitest';
import { pytorchSnippet, weightsFile } from '../../www/weights.js';

describe('weights for PyTorch', () => {
  test('the snippet builds the same nn.Sequential and loads the file', () => {
    expect(pytorchSnippet([2, 16, 16, 2], 'relu', 'w.safetensors')).toBe(
      'model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 2))\n' +
        'model.load_state_dict(safetensors.torch.load_file("w.safetensors"))',
    );
    expect(pytorchSnippet([64, 10], 'tanh', 'w.safetensors').split('\n')[0]).toBe('model = nn.Sequential(nn.Linear(64, 10))');
    expect(pytorchSnippet([3, 4, 2], 'linear', 'w').split('\n')[0]).toBe('model = nn.Sequential(nn.Linear(3, 4), nn.Identity(), nn.Linear(4, 2))');
    expect(pytorchSnippet([3, 4, 2], 'gelu', 'w')).toContain('nn.GELU()');
  });

  test('files are named by run, counting from 1', () => {
    expect(weightsFile(0)).toBe('lr-playground-run-1.safetensors');
    expect(weightsFile(2)).toBe('lr-playground-run-3.safetensors');
  });
});
