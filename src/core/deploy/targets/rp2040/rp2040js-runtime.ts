// The runtime route on the virtual Pico: the prebuilt Mote Runtime image for the RP2040
// (runtime/prebuilt/mote-runtime-rp2040.elf, scripts/build-runtime-images.mjs) turned into the Pico's flash
// image (the ELF's loadable bytes at their flash addresses, as objcopy -O binary writes them, boot2's CRC
// sealed), booted in rp2040js, the model blob loaded over UART0 (protocol 2's model load), then the usual
// evaluation; the counter is SysTick cycles of rp2040js's cycle model. Node or a browser worker alike.
import { InputFileError } from '../../../base/errors';
import { RuntimeImageError } from '../../../runtime/wasm-runtime';
import type { RuntimeExecutor } from '../../environment';
import { loadAndEvaluateOverLink } from '../../runtime-link';
import { sealBoot2 } from './boot2-seal';
import { RP2040_FLASH_START, RP2040_MAX_FLASH_BYTES } from './memory-map';
import { startVirtualPico } from './rp2040js-board';

const PT_LOAD = 1;

/** The flash bytes of a 32-bit little-endian ELF: every loaded segment with file bytes at its load address
 * (.data's too, copied to SRAM by startup), from `base`; what `objcopy -O binary` gives for a flash image. */
export function elfFlashImage(elf: Uint8Array, base = RP2040_FLASH_START): Uint8Array {
  const view = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  if (elf.length < 52 || view.getUint32(0) !== 0x7f454c46 || elf[4] !== 1 || elf[5] !== 1) throw new InputFileError('the RP2040 runtime image is not a 32-bit little-endian ELF');
  const phoff = view.getUint32(28, true), phentsize = view.getUint16(42, true), phnum = view.getUint16(44, true);
  const parts: { at: number; bytes: Uint8Array }[] = [];
  for (let i = 0; i < phnum; i++) {
    const h = phoff + i * phentsize;
    if (h + 32 > elf.length) throw new InputFileError('the RP2040 runtime image has a truncated program header table');
    if (view.getUint32(h, true) !== PT_LOAD) continue;
    const offset = view.getUint32(h + 4, true), paddr = view.getUint32(h + 12, true), filesz = view.getUint32(h + 16, true);
    if (filesz === 0) continue;
    if (paddr < base || paddr - base + filesz > RP2040_MAX_FLASH_BYTES || offset + filesz > elf.length) throw new InputFileError(`the RP2040 runtime image loads ${filesz} bytes at 0x${paddr.toString(16)}, outside the flash`);
    parts.push({ at: paddr - base, bytes: elf.subarray(offset, offset + filesz) });
  }
  const end = Math.max(0, ...parts.map((p) => p.at + p.bytes.length));
  const image = new Uint8Array(end);
  for (const p of parts) image.set(p.bytes, p.at);
  return image;
}

/** The runtime-route executor of the `rp2040js` transport (VirtualPico). */
export function rp2040jsRuntimeExecutor(image: (file: string) => Promise<Uint8Array>): RuntimeExecutor {
  return {
    kind: 'rp2040js',
    async evaluate({ board, blob, model, test, longWidth, evaluator, onProgress, signal, log }) {
      if (!board.runtime) throw new RuntimeImageError(`${board.kind} declares no Mote Runtime image`);
      const flash = sealBoot2(elfFlashImage(await image(board.runtime.image)));
      const timeoutMs = board.timeoutSeconds(evaluator as never) * 1000;
      const pico = startVirtualPico(flash);
      try {
        const { loaded, report, row } = await loadAndEvaluateOverLink({ transport: pico.transport, model, test, blob, longWidth, frameTimeoutMs: timeoutMs, signal, onProgress });
        log(`${board.kind}: model blob of ${blob.length} bytes loaded over UART0 in ${loaded.elapsedMs} ms (${loaded.chunks} chunks)`);
        return { ...row, cycles_per_inference: report.cycles_per_inference, report };
      } finally {
        await pico.stop();
      }
    },
  };
}
