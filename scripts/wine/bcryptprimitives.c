/*
 * A stand-in bcryptprimitives.dll for wine releases that lack one (Debian 12
 * ships wine 8.0). It is used only by the Windows smoke test in the Makefile
 * and never shipped: Windows 10 and later have the real DLL.
 *
 * Go programs since Go 1.24 take their random numbers from ProcessPrng in
 * bcryptprimitives.dll and stop at start-up without it. This forwards to
 * RtlGenRandom (advapi32's SystemFunction036), which every wine has.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
	while (size > 0) {
		ULONG n = size > 0x40000000 ? 0x40000000 : (ULONG)size;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		size -= n;
	}
	return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE dll, DWORD reason, LPVOID reserved)
{
	(void)dll;
	(void)reason;
	(void)reserved;
	return TRUE;
}
