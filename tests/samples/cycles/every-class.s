@ One or more instructions of every class of the Cortex-M4 cycle table (bench/cortex-m4-cycles.md), in
@ the encodings gcc emits and a few it rarely does, for tests/firmware/cycle-estimate.test.ts: the plugin's
@ classifier must put each where arm-none-eabi-objdump's mnemonic says. Assembled, never run.
  .syntax unified
  .cpu cortex-m4
  .fpu fpv4-sp-d16
  .thumb
  .text
  .thumb_func
every_class:
  @ alu, 16-bit
  movs r0, #1
  adds r1, r2, r3
  subs r1, r2, #3
  lsls r0, r1, #2
  cmp r0, #7
  ands r0, r1
  mov r8, r1
  add r0, r8
  add r0, sp, #8
  adr r0, literal
  add sp, #16
  sub sp, #16
  sxtb r0, r1
  uxth r0, r1
  rev r0, r1
  revsh r0, r1
  @ alu, 32-bit
  mov.w r0, #0x1000
  movw r0, #0x1234
  movt r0, #0x5678
  add.w r0, r1, r2, lsl #3
  addw r0, r1, #0xfff
  orr r0, r1, #0xff00
  bic r0, r1, r2
  orn r0, r1, r2
  lsl.w r0, r1, r2
  asr.w r0, r1, #7
  ssat r0, #8, r1
  usat r0, #8, r1, asr #2
  ssat16 r0, #8, r1
  sbfx r0, r1, #4, #8
  ubfx r0, r1, #4, #8
  bfi r0, r1, #4, #8
  bfc r0, #4, #8
  sxtb16 r0, r1
  sxtab16 r0, r1, r2, ror #8
  sxtab r0, r1, r2
  uxtb.w r0, r1, ror #16
  qadd r0, r1, r2
  qsub16 r0, r1, r2
  sadd16 r0, r1, r2
  uqadd8 r0, r1, r2
  shadd16 r0, r1, r2
  sel r0, r1, r2
  clz r0, r1
  rbit r0, r1
  rev16.w r0, r1
  pkhbt r0, r1, r2, lsl #16
  pkhtb r0, r1, r2, asr #16
  teq r0, r1
  cmn.w r0, #1
  @ mul
  muls r0, r1, r0
  mul r0, r1, r2
  mla r0, r1, r2, r3
  mls r0, r1, r2, r3
  smlabb r0, r1, r2, r3
  smultt r0, r1, r2
  smlawb r0, r1, r2, r3
  smlad r0, r1, r2, r3
  smladx r0, r1, r2, r3
  smuad r0, r1, r2
  smlsd r0, r1, r2, r3
  smmul r0, r1, r2
  smmla r0, r1, r2, r3
  usad8 r0, r1, r2
  smull r0, r1, r2, r3
  umull r0, r1, r2, r3
  smlal r0, r1, r2, r3
  umlal r0, r1, r2, r3
  umaal r0, r1, r2, r3
  smlalbb r0, r1, r2, r3
  smlald r0, r1, r2, r3
  smlsld r0, r1, r2, r3
  @ div
  sdiv r0, r1, r2
  udiv r0, r1, r2
  @ load / store, 16-bit
  ldr r0, [r1, #4]
  ldrb r0, [r1, #1]
  ldrh r0, [r1, #2]
  ldr r0, [r1, r2]
  ldrsb r0, [r1, r2]
  ldrsh r0, [r1, r2]
  ldr r0, [sp, #8]
  ldr r0, literal
  str r0, [r1, #4]
  strb r0, [r1, r2]
  strh r0, [r1, #2]
  str r0, [sp, #4]
  @ load / store, 32-bit
  ldr.w r0, [r1, #0x400]
  ldr r0, [r1, #-4]
  ldr r0, [r1, #4]!
  ldr r0, [r1], #4
  ldr.w r0, [r1, r2, lsl #2]
  ldrb.w r8, [r1, #0x100]
  ldrsb.w r0, [r1, #0x100]
  ldrsb r0, [r1], #1
  ldrsh.w r0, [r1, #0x100]
  ldrh.w r0, [r1, r2]
  ldrt r0, [r1, #4]
  ldr.w r0, literal
  str.w r0, [r1, #0x400]
  str r0, [r1, #-4]!
  strb.w r0, [r1, r2, lsl #1]
  strh r0, [r1], #2
  ldr.w r4, [sp], #4
  str.w r4, [sp, #-4]!
  @ dual, multiple, exclusive
  ldrd r0, r1, [r2, #8]
  ldrd r0, r1, [r2], #8
  strd r0, r1, [r2, #-8]!
  ldm r0!, {r1, r2, r3}
  stmia r0!, {r1, r2}
  ldmia.w r0, {r1, r2, r8}
  stmdb r0!, {r1, r2, r8}
  ldmdb r0, {r1, r2}
  push {r4, r5, lr}
  pop {r4, r5}
  push.w {r4, r5, r8, lr}
  pop.w {r4, r5, r8}
  ldrex r0, [r1]
  strex r0, r2, [r1]
  ldrexb r0, [r1]
  strexh r0, r2, [r1]
  @ hints, barriers, system
  nop
  nop.w
  wfi
  sev
  pld [r0, #64]
  dmb
  dsb
  isb
  clrex
  mrs r0, primask
  msr basepri, r0
  cpsid i
  cpsie i
  svc #1
  bkpt #0
  @ VFP
  vadd.f32 s0, s1, s2
  vsub.f32 s0, s1, s2
  vmul.f32 s0, s1, s2
  vnmul.f32 s0, s1, s2
  vabs.f32 s0, s1
  vneg.f32 s0, s1
  vmov.f32 s0, s1
  vmov.f32 s0, #1.0
  vcmp.f32 s0, s1
  vcmpe.f32 s0, #0
  vcvt.s32.f32 s0, s1
  vcvt.f32.s32 s0, s1
  vcvt.f32.u32 s0, s1
  vcvt.s32.f32 s0, s0, #8
  vcvtb.f32.f16 s0, s1
  vmla.f32 s0, s1, s2
  vmls.f32 s0, s1, s2
  vnmla.f32 s0, s1, s2
  vfma.f32 s0, s1, s2
  vfnms.f32 s0, s1, s2
  vdiv.f32 s0, s1, s2
  vsqrt.f32 s0, s1
  vldr s0, [r0, #4]
  vldr d0, [r0, #8]
  vstr s0, [r0, #4]
  vstr d1, [r0]
  vldmia r0!, {s0-s3}
  vstmdb r0!, {s0-s1}
  vpush {s16-s19}
  vpop {s16-s19}
  vpush {d8-d9}
  vmov r0, s0
  vmov s0, r0
  vmov r0, r1, d0
  vmov s0, s1, r0, r1
  vmrs APSR_nzcv, fpscr
  vmsr fpscr, r0
  @ branches
  it eq
  moveq r0, #1
  itte ne
  addne r0, r0, #1
  addne r1, r1, #1
  subeq r0, r0, #1
  cbz r0, 1f
  cbnz r0, 1f
  beq 1f
  bne.w 1f
  b 1f
  b.w 1f
  bl every_class
  blx r0
  bx lr
  tbb [pc, r0]
1:
  tbh [pc, r0, lsl #1]
  mov pc, lr
  ldr pc, [sp], #4
  pop {r4, pc}
  .align 2
literal:
  .word 0x12345678
