// Where each input's channels go in the output: every stage walks the same layout.

export interface ChannelRun {
  /** Channels of this input. */
  channels: number;
  /** First output channel it fills. */
  offset: number;
}

/** Output positions (every dim but the channels), the output's channels, and one run per input. */
export function channelLayout(inShapes: number[][], outShape: number[]): { positions: number; channels: number; runs: ChannelRun[] } {
  const channels = outShape[outShape.length - 1];
  const positions = outShape.slice(0, -1).reduce((a, b) => a * b, 1);
  let offset = 0;
  const runs = inShapes.map((shape) => {
    const run = { channels: shape[shape.length - 1], offset };
    offset += run.channels;
    return run;
  });
  return { positions, channels, runs };
}
