#include "test/unit.h"
int main(void) { return unit_done("aset_test"); }
