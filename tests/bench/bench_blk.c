/* Placeholder: the virtio-blk benchmark. */
#include <stdio.h>

int main(void)
{
	return 0;
}
