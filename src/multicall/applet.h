/* Forced into each applet's main.c (-include) when it is compiled for the multi-call
 * binary with -Dmain=lime_applet_<name>: declares the renamed main, so
 * -Wmissing-prototypes holds without touching the program's own source. */
#ifndef LIME_MULTICALL_APPLET_H
#define LIME_MULTICALL_APPLET_H

int main(int argc, char **argv);

#endif
