// Every `kind` name Qualia itself knows, per area, from qualia-reference.md §3 (qualia-core 2.5 and the SNN
// and SOM plugins). A kind listed here that Mote lacks is a warning ("not supported yet"), so real Qualia
// configs still validate; a kind in neither list is an error with a "did you mean".

import type { KindArea } from '../base/kinds';

export type QualiaPackage = 'qualia_core' | 'qualia_plugin_snn' | 'qualia_plugin_som';

export const qualiaKinds: Record<KindArea, Partial<Record<QualiaPackage, readonly string[]>>> = {
  learningframework: {
    qualia_core: ['PyTorch', 'Keras'],
    qualia_plugin_snn: ['SpikingJelly', 'SpikingJellyMultiStep', 'SpikingJellyTimeStepsInData', 'SpikingJellyMultiStepTimeStepsInData'],
    qualia_plugin_som: ['PyTorchDLSOM', 'PyTorchLabelledSOM', 'PyTorchUnlabelledSOM'],
  },
  dataset: {
    qualia_core: ['UCI_HAR', 'CIFAR10', 'CIFAR100', 'MNIST', 'FashionMNIST', 'GSC', 'GTSRB', 'WSMNIST', 'HD', 'EllcieHAR', 'CORe50', 'EuroSAT', 'EZBirds', 'BrainMIX'],
    qualia_plugin_snn: ['DVSGesture', 'DVSGestureWithPreprocessing', 'SHD', 'SSC'],
  },
  preprocessing: {
    qualia_core: ['DatamodelConverter', 'Class2BinMatrix', 'Normalize', 'Window', 'DatasetSplitter', 'DatasetSplitterBySubjects', 'CopySet', 'MFCC', 'BandPassFilter', 'RemoveActivity', 'RemoveSensor', 'Reshape2DTo1D', 'PrintHARDataModelSummary', 'VisualizeActivities', 'VisualizeWindows'],
    qualia_plugin_snn: ['IntegrateEventsByFixedDuration', 'IntegrateEventsByFixedFramesNumber', 'Group2TimeStepsBySample', 'Split2TimeSteps'],
  },
  data_augmentation: {
    qualia_core: ['Amplitude', 'AutoAugment', 'CMSISMFCC', 'Crop', 'Cutout1D', 'ExponentialNoise', 'GaussianNoise', 'HorizontalFlip', 'IntToFloat32', 'MFCC', 'Mixup', 'Normalize', 'ResizedCrop', 'Rotation', 'Rotation2D', 'TimeShifting', 'TimeWarping', 'TorchVisionModelTransforms'],
  },
  model: {
    qualia_core: ['CNN', 'MLP', 'ResNet', 'ResNetStride', 'ResNetSampleNorm', 'TorchVisionModel', 'QuantizedCNN', 'QuantizedMLP', 'QuantizedResNet', 'QuantizedResNetStride'],
    qualia_plugin_snn: ['SCNN', 'SResNet', 'SResNetStride', 'SMLP', 'QuantizedSCNN', 'QuantizedSResNet', 'QuantizedSResNetStride', 'QuantizedSMLP'],
    qualia_plugin_som: ['LabelledSOM', 'UnlabelledSOM', 'DLSOM', 'DSOM', 'KSOM'],
  },
  postprocessing: {
    qualia_core: ['FuseBatchNorm', 'QuantizationAwareTraining', 'QuantizationAwareTrainingFX', 'Torch2Keras', 'RemoveKerasSoftmax', 'Keras2TFLite', 'QualiaCodeGen', 'Distribution', 'VisualizeFeatureMaps'],
    qualia_plugin_snn: ['EnergyEstimationMetric', 'OperationCounter', 'FuseBatchNorm', 'QualiaCodeGen'],
    qualia_plugin_som: ['DLSOMFineTuning', 'DLSOMCORe50FineTuning', 'DNNFineTuning', 'PlotSOMNeurons', 'QuantizationAwareTrainingDLSOM', 'QualiaCodeGen'],
  },
  converter: {
    qualia_core: ['QualiaCodeGen', 'Keras2TFLite'],
    qualia_plugin_snn: ['QualiaCodeGen'],
    qualia_plugin_som: ['QualiaCodeGen'],
  },
  target: {
    // QualiaCodeGen deployers, then Keras2TFLite ones (TFLite Micro, STM32Cube.AI, host), then newer
    // unreleased qualia-core deployers.
    qualia_core: ['Linux', 'Windows', 'NucleoL452REP', 'NucleoU575ZIQ', 'NucleoH7S3L8', 'SparkFunEdge', 'LonganNano', 'NucleoH7A3ZIQ', 'NucleoL476RG', 'NucleoL4R5ZI', 'EDU32F103'],
    qualia_plugin_snn: ['Linux', 'Windows', 'NucleoL452REP'],
  },
  experimenttracking: {
    qualia_core: ['ClearML', 'Neptune', 'QualiaDatabase'],
  },
  // Qualia takes any torch.optim class (and torch_optimizer's, when installed) and any
  // torch.optim.lr_scheduler class plus its own SinDescent; these are PyTorch's.
  optimizer: {
    qualia_core: ['Adadelta', 'Adafactor', 'Adagrad', 'Adam', 'AdamW', 'SparseAdam', 'Adamax', 'ASGD', 'LBFGS', 'NAdam', 'RAdam', 'RMSprop', 'Rprop', 'SGD'],
  },
  scheduler: {
    qualia_core: ['LambdaLR', 'MultiplicativeLR', 'StepLR', 'MultiStepLR', 'ConstantLR', 'LinearLR', 'ExponentialLR', 'PolynomialLR', 'CosineAnnealingLR', 'ChainedScheduler', 'SequentialLR', 'ReduceLROnPlateau', 'CyclicLR', 'OneCycleLR', 'CosineAnnealingWarmRestarts', 'SinDescent'],
  },
};

/** Kinds that older Qualia versions had; stale.ts warns about them with the modern spelling. */
export const historicQualiaKinds: Partial<Record<KindArea, readonly string[]>> = {
  model: ['CNNSampleNorm'],
  converter: ['KerasCNN2C'],
};

export function qualiaKindNames(area: KindArea): string[] {
  return [...new Set(Object.values(qualiaKinds[area]).flat())];
}

/** The plugin a kind needs when Qualia's core lacks it (for the `bench.plugins` hint), else undefined. */
export function pluginFor(area: KindArea, kind: string): QualiaPackage | undefined {
  const packages = qualiaKinds[area];
  if (packages.qualia_core?.includes(kind)) return undefined;
  for (const [name, kinds] of Object.entries(packages) as [QualiaPackage, readonly string[]][]) if (kinds.includes(kind)) return name;
  return undefined;
}

/** How each area reads in messages. */
export const areaNames: Record<KindArea, string> = {
  learningframework: 'learning framework',
  dataset: 'dataset',
  preprocessing: 'preprocessing',
  data_augmentation: 'data augmentation',
  model: 'model',
  postprocessing: 'postprocessing',
  converter: 'converter',
  target: 'deploy target',
  experimenttracking: 'experiment tracking',
  optimizer: 'optimizer',
  scheduler: 'learning-rate scheduler',
};
