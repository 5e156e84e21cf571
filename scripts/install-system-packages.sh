#!/usr/bin/env bash
# Installs the Debian packages Mote's tests need: a browser for the e2e suite, the Arm cross compiler and
# newlib for firmware, QEMU for the virtual Cortex-M4 board, and the real datasets used by data tests.
# Idempotent; run as root (or with sudo available). Nothing is downloaded except from Debian's mirrors.
set -euo pipefail
packages=(
  chromium                 # e2e tests drive /usr/bin/chromium with playwright-core
  gcc                      # host builds of generated C (Linux target, parity tests)
  libc6-dev
  gcc-arm-none-eabi        # firmware for VirtualCortexM4 / Nucleo boards
  libnewlib-arm-none-eabi
  qemu-system-arm          # VirtualCortexM4 = QEMU mps2-an386
  gcc-riscv64-unknown-elf  # Mote Runtime image for RISC-V boards (ESP32-C3, QEMU riscv32 virt)
  picolibc-riscv64-unknown-elf
  qemu-system-misc         # qemu-system-riscv32 (virt) runs the RISC-V runtime image
  clang                    # clang --target=wasm32 builds the Wasm board's runtime
  lld                      # wasm-ld for that build
  bubblewrap               # bwrap: the hosted toolchain's sandbox for every compile and emulator
  dataset-fashion-mnist    # the real Fashion-MNIST idx files under /usr/share/datasets/fashion-mnist
  python3-sklearn          # ships sklearn's digits.csv.gz, source of the embedded default dataset check
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-system-packages: all ${#packages[@]} packages already installed"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-system-packages: need root to install: ${missing[*]}" >&2
    echo "Run this script as root, or install those packages with apt-get yourself." >&2
    exit 1
  fi
fi
echo "install-system-packages: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
