// Context switch for sim/fiber.cc on x86-64 System V.
//
// void iocpsim_fiber_switch(void** save_sp, void* load_sp)
//   Saves the callee-saved registers, MXCSR and the x87 control word on the
//   current stack, stores the stack pointer in *save_sp, loads load_sp and
//   restores the same state from there.
//
// iocpsim_fiber_start
//   First "return address" of a new fiber: calls entry(arg), with entry in
//   r13 and arg in r12 as laid out by Fiber's constructor. entry never
//   returns.
        .text
        .globl  iocpsim_fiber_switch
        .type   iocpsim_fiber_switch, @function
iocpsim_fiber_switch:
        .cfi_startproc
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        subq    $8, %rsp
        stmxcsr (%rsp)
        fnstcw  4(%rsp)
        movq    %rsp, (%rdi)
        movq    %rsi, %rsp
        ldmxcsr (%rsp)
        fldcw   4(%rsp)
        addq    $8, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret
        .cfi_endproc
        .size   iocpsim_fiber_switch, .-iocpsim_fiber_switch

        .globl  iocpsim_fiber_start
        .type   iocpsim_fiber_start, @function
iocpsim_fiber_start:
        .cfi_startproc
        .cfi_undefined rip
        movq    %r12, %rdi
        callq   *%r13
        ud2
        .cfi_endproc
        .size   iocpsim_fiber_start, .-iocpsim_fiber_start

        .section .note.GNU-stack,"",@progbits
