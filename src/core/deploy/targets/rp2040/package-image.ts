// What a Pico is given after the firmware is linked: the raw flash image with boot2's CRC filled in
// (firmware.bin, for picotool or a debugger) and the same bytes as UF2 for the RPI-RP2 drive.
import { InputFileError } from '../../../base/errors';
import { uf2Families, writeUf2 } from '../../formats/uf2';
import type { BuildOutput } from '../../toolchain';
import { sealBoot2 } from './boot2-seal';
import { RP2040_FLASH_START } from './memory-map';

export function packageRp2040Image(build: BuildOutput): BuildOutput {
  const raw = build.files['firmware.bin'];
  if (!raw) throw new InputFileError('the RP2040 build produced no firmware.bin to package; the toolchain must run objcopy for this board');
  const sealed = sealBoot2(raw);
  return { ...build, files: { ...build.files, 'firmware.bin': sealed, 'firmware.uf2': writeUf2(sealed, { baseAddress: RP2040_FLASH_START, familyId: uf2Families.rp2040 }) } };
}
