/* The RP2040 board template's boot2 (firmware-templates/boards/rp2040/boot2.S, plain assembly), assembled
 * inside a C unit: an assembly source linked directly would be recorded under the compiler's random
 * temporary object name, and the image would differ on every build. Paths are relative to the repository
 * (scripts/build-runtime-images.mjs runs the compiler there). */
__asm__(".include \"firmware-templates/boards/rp2040/boot2.S\"");
