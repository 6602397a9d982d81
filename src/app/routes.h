/* routes.h: the one route table of the application (routes.c). */
#ifndef APP_ROUTES_H
#define APP_ROUTES_H
#include <stddef.h>

#include "web/router.h"

extern const struct route app_routes[];
extern const size_t app_nroutes;

#endif
