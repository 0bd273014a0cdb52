/* testutil.h: what every cmocka unit test includes, in the order cmocka needs. */
#ifndef RX_TESTUTIL_H
#define RX_TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#endif
