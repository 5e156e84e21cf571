#ifndef MOTE_RT_KERNELS_H
#define MOTE_RT_KERNELS_H
#include "mote_runtime.h"
#include "mote_rt_layers.h"
/* Runs one decoded layer: `inputs` holds layer->n_inputs buffers of the model's number type. */
void mote_rt_run_layer(const rt_layer *layer, const void *const *inputs, void *output, const rt_numbers *numbers);
#endif
