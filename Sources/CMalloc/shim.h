#pragma once
/* glibc's allocator tuning (mallopt), where the platform has it. */
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif
