#include "test/unit.h"
int main(void) { return unit_done("tree_test"); }
