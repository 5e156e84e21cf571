import { mnistLike } from './mnist-like';

/** Zalando's Fashion-MNIST: same IDX layout as MNIST, 10 clothing classes. */
export const FashionMNIST = mnistLike('FashionMNIST',
  ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  'Fashion-MNIST (Zalando) from the four original IDX files (.gz or raw): 28×28×1, 10 clothing classes, pixel values 0..255');
