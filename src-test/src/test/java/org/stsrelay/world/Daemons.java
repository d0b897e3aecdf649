package org.stsrelay.world;

/** Background threads of the world's servers: daemons, so a failed test never keeps the JVM alive. */
final class Daemons {

    private Daemons() {
    }

    static Thread start(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
