/*
 * Test-only stand-in for bcryptprimitives.dll, used by .ci/windows.sh.
 * NEVER shipped: real Windows (8 and later) has this DLL.
 *
 * Go >= 1.22 programs get their random numbers from ProcessPrng in
 * bcryptprimitives.dll, which the Go runtime loads from System32 at start.
 * Debian 12's Wine 8.0 does not have the DLL, so every Go exe dies with
 * "bcryptprimitives.dll not found". This DLL exports ProcessPrng on top of
 * RtlGenRandom (advapi32's SystemFunction036), which Wine does implement.
 *
 *   x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll \
 *       bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    /* RtlGenRandom takes a ULONG length; feed larger requests in pieces. */
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
