package io.roadneg.cli;

import ai.djl.Device;
import io.roadneg.finetune.model.Devices;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code --device auto|cpu|gpu[:N]} of the commands that run a network. */
final class DeviceOption {
    @Option(names = "--device", defaultValue = "auto", paramLabel = "D", description = "auto (the first GPU DJL "
            + "sees, else the CPU), cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    /** Resolves the setting (an input error when the GPU asked for is not there) and reports it. */
    Device resolve(PrintWriter o) {
        Device d = Devices.resolve(device);
        o.println("device " + Devices.name(d) + (device.equals("auto") ? " (auto)" : ""));
        return d;
    }
}
