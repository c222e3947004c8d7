// The data sets the training demos offer: the engine's synthetic 2-D sets and UCI's handwritten
// digits (8×8 images, ten classes; licence CC BY 4.0), and what each asks of the network and of
// the `data` Session option.

export const DIGITS = 'digits';

/** Credit for the digits, for the page to show where it offers them. */
export const DIGITS_CREDIT = 'Digits: E. Alpaydin and C. Kaynak, "Optical Recognition of Handwritten Digits", UCI Machine Learning Repository (1998), CC BY 4.0.';

/** Every data kind, from Session.optionFields(): the synthetic sets, then the digits. */
export function dataKinds(fields) {
  return [...fields.data_kinds, DIGITS];
}

/** The network's input and output widths for data `kind` (reg_* are regression, one output). */
export function networkEnds(kind) {
  if (kind === DIGITS) return { inputs: 64, outputs: 10 };
  return { inputs: 2, outputs: kind.startsWith('reg_') ? 1 : 2 };
}

/** The `data` Session option for `kind`; `synthetic` (n, noise, ...) applies to the 2-D sets only. */
export function dataOption(kind, synthetic) {
  return kind === DIGITS ? { kind } : { kind, ...synthetic };
}
