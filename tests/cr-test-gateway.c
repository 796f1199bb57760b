#include "cr-test-gateway.h"
