#include "@READ_PATH@"
