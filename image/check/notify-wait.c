/*
 * notify-wait TIMEOUT-SECONDS PROGRAM [ARGS...]: plays systemd for a Type=notify service. Binds a Unix datagram
 * socket, runs PROGRAM with NOTIFY_SOCKET pointing at it, and waits for "READY=1". Then it prints the time from
 * exec to READY in milliseconds (PROGRAM's own output goes to stderr), stops PROGRAM with SIGTERM as systemd would, and exits with PROGRAM's exit code.
 * Exits 124 when no READY=1 came within the timeout (or PROGRAM exited first), after killing PROGRAM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000.0 + t.tv_nsec / 1e6;
}

/* True when one line of the datagram is exactly READY=1 (sd_notify sends newline-separated assignments). */
static int says_ready(char *message)
{
    for (char *line = strtok(message, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        if (strcmp(line, "READY=1") == 0) {
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: notify-wait TIMEOUT-SECONDS PROGRAM [ARGS...]\n");
        return 2;
    }

    double timeout_ms = atof(argv[1]) * 1000.0;
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    snprintf(address.sun_path, sizeof(address.sun_path), "/tmp/notify-wait-%d", (int)getpid());
    int sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    unlink(address.sun_path);
    if (sock < 0 || bind(sock, (struct sockaddr *)&address, sizeof(address)) != 0 || chmod(address.sun_path, 0777) != 0) {
        fprintf(stderr, "notify-wait: cannot bind %s: %s\n", address.sun_path, strerror(errno));
        return 2;
    }

    setenv("NOTIFY_SOCKET", address.sun_path, 1);
    double start = now_ms();
    pid_t child = fork();
    if (child == 0) {
        /* The program's output goes to stderr: stdout carries only the measurement. */
        dup2(STDERR_FILENO, STDOUT_FILENO);
        execvp(argv[2], argv + 2);
        fprintf(stderr, "notify-wait: cannot run %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }

    double ready_ms = -1;
    int status = 0;
    while (ready_ms < 0) {
        double left = timeout_ms - (now_ms() - start);
        if (left <= 0 || waitpid(child, &status, WNOHANG) == child) {
            break;
        }

        struct pollfd waiting = { .fd = sock, .events = POLLIN };
        if (poll(&waiting, 1, left < 200 ? (int)left + 1 : 200) > 0) {
            char message[4096];
            ssize_t length = recv(sock, message, sizeof(message) - 1, 0);
            if (length > 0) {
                message[length] = '\0';
                if (says_ready(message)) {
                    ready_ms = now_ms() - start;
                }
            }
        }
    }

    if (ready_ms < 0) {
        fprintf(stderr, "notify-wait: no READY=1 within %s s\n", argv[1]);
        kill(child, SIGKILL);
        waitpid(child, &status, 0);
        unlink(address.sun_path);
        return 124;
    }

    printf("%.0f\n", ready_ms);
    fflush(stdout);
    /* The socket stays until the child is gone: it reports STOPPING=1 on its way out. */
    kill(child, SIGTERM);
    waitpid(child, &status, 0);
    unlink(address.sun_path);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
