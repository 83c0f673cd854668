/*
 * DSDT of an mkhv child partition, compiled with iasl at build time
 * (parent/worker/worker.mk) and embedded in hvworker.
 *
 * - \_S5: sleep type 5 for the FADT's SLEEP_CONTROL_REG (HW-reduced ACPI:
 *   Linux writes SLP_TYP << 2 | SLP_EN there to power off).
 * - \_SB.VMOD.VMBS: the VMBus device hv_vmbus binds to (linux-hv-guest.md
 *   §4.1): _HID "VMBUS" (iasl refuses a 5-character _HID name, so it comes
 *   from a method; ACPICA returns the string as is), _UID 0, _STA 0x0F and
 *   a _CRS (hv_vmbus fails without one; the IRQ is ignored on x86).  Its
 *   parent is a module device (ACPI0004) as on Hyper-V Gen2.
 * - \_SB.COM1: the 16550 at 0x3F8 the worker emulates, on IRQ 4 (GSI 4
 *   of the worker's I/O APIC, MADT): interrupt-driven, where without an
 *   IRQ the 8250 driver polls the UART ~50 times a second (exits an idle
 *   child would pay) and never sees console input.
 */
DefinitionBlock ("dsdt.aml", "DSDT", 2, "MKHV  ", "MKHVDSDT", 1)
{
    Name (\_S5, Package (4) { 5, 0, 0, 0 })

    Scope (\_SB)
    {
        Device (VMOD)
        {
            Name (_HID, "ACPI0004")
            Name (_UID, 0)

            Device (VMBS)
            {
                Method (_HID, 0, NotSerialized)
                {
                    Return ("VMBUS")
                }
                Name (_UID, 0)
                Name (_STA, 0x0F)
                Name (_CRS, ResourceTemplate ()
                {
                    IRQ (Edge, ActiveHigh, Exclusive) {5}
                })
            }
        }

        Device (COM1)
        {
            Name (_HID, EisaId ("PNP0501"))
            Name (_UID, 1)
            Name (_STA, 0x0F)
            Name (_CRS, ResourceTemplate ()
            {
                IO (Decode16, 0x03F8, 0x03F8, 0x01, 0x08)
                IRQNoFlags () {4}
            })
        }
    }
}
