import { mnistLike } from './mnist-like';

/** Handwritten digits (LeCun & Cortes), 28×28×1, 60 000 train / 10 000 test; pixels 0..255 (not rescaled). */
export const MNIST = mnistLike('MNIST', ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  'MNIST handwritten digits from the four original IDX files (.gz or raw): 28×28×1, 10 classes, pixel values 0..255');
