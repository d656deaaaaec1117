package io.myelin.kernels;

import com.aparapi.Kernel;
import com.aparapi.device.OpenCLDevice;

import java.util.List;

/**
 * Child-JVM entry point of {@link KernelBuild#buildLog}: compiles one kernel class on one device so that the
 * OpenCL build log Aparapi prints to stderr can be captured by the parent. Arguments: kernel class name, device
 * index in {@link OpenClDevices#all()}.
 */
final class BuildLogProbe {
    private BuildLogProbe() {
    }

    public static void main(String[] args) throws Exception {
        List<OpenCLDevice> devices = OpenClDevices.all();
        int index = Integer.parseInt(args[1]);
        if (index < 0 || index >= devices.size()) {
            System.err.println("device " + index + " not found; " + devices.size() + " devices");
            System.exit(3);
        }
        Class<?> c = Class.forName(args[0]);
        var ctor = c.getDeclaredConstructor();
        ctor.setAccessible(true);
        Kernel kernel = (Kernel) ctor.newInstance();
        try {
            kernel.compile(devices.get(index));
        } catch (Exception e) {
            System.err.flush();
            System.exit(1);
        }
        System.exit(0);
    }
}
