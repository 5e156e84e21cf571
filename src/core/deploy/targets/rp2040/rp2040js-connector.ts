// The `rp2040js` transport: boots the build's sealed flash image (firmware.bin, from packageRp2040Image)
// in rp2040js in this thread; works in Node and in a browser worker alike.
import type { StreamConnector } from '../../environment';
import { startVirtualPico, VirtualPicoError } from './rp2040js-board';

export const rp2040jsConnector: StreamConnector = {
  kind: 'rp2040js',
  async open({ board, build }) {
    const image = build.files['firmware.bin'];
    if (!image) throw new VirtualPicoError(`${board.kind}'s build has no firmware.bin to boot in rp2040js; its board declaration must package the RP2040 image`);
    const pico = startVirtualPico(image);
    return { transport: pico.transport, stop: () => pico.stop() };
  },
};
