// Sane upper bounds on numbers a config may give, far above any real run (Qualia's configs use ≤ 300 epochs
// and batches ≤ 512), so a typo or a hostile share link fails at validation, naming the key, instead of
// running for ever or allocating what cannot fit.
export const MAX_EPOCHS = 100_000;
export const MAX_BATCH_SIZE = 65_536;

// Model sizes. The largest Qualia configs use 512 filters and 3×3…9×9 windows; these caps sit far above that
// and far below what would exhaust memory before a message could name the layer.
export const MAX_CHANNELS = 65_536;
export const MAX_WINDOW = 4_096;
export const MAX_BLOCKS = 1_024;
/** Values one layer may hold, in weights or in its output for one sample (2^26 float32 = 256 MiB). */
export const MAX_LAYER_VALUES = 2 ** 26;
