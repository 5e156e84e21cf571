// Sane upper bounds on numbers a config may give, far above any real run (Qualia's configs use ≤ 300 epochs
// and batches ≤ 512), so a typo or a hostile share link fails at validation, naming the key, instead of
// running for ever or allocating what cannot fit.
export const MAX_EPOCHS = 100_000;
export const MAX_BATCH_SIZE = 65_536;
