/* fuzz/fuzz_emu_common.h - the emulator instance (no sockets) the emulator fuzz targets drive. */
#ifndef BRK_FUZZ_EMU_COMMON_H
#define BRK_FUZZ_EMU_COMMON_H

struct emu_server;

/* Created on first use with the documented example root key; lives for the process. */
struct emu_server *fuzz_emu_server(void);

#endif
