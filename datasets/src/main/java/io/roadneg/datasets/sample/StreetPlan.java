package io.roadneg.datasets.sample;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Every random choice of one street scene, drawn first so that {@link StreetRenderer} can apply it deterministically
 * (sample, then apply). World coordinates: X to the right of the road centre, Y up from the ground, Z forward from
 * the camera, in metres.
 *
 * @param width image width in pixels
 * @param height image height in pixels
 * @param horizon row of the horizon (vanishing point y)
 * @param vpX column of the vanishing point
 * @param focal focal length in pixels
 * @param camX camera's lateral position (it drives in the right lane)
 * @param camH camera height above the road
 * @param roadHalf half the road width
 * @param sidewalk sidewalk width
 * @param terrain width of the grass strip between sidewalk and houses on each side (0 = none)
 * @param light global brightness
 * @param tint white balance per channel
 * @param textureSeed seed of the texture noise
 * @param colors base colours: road, sidewalk, terrain, vegetation, sky top, sky bottom, far buildings
 * @param buildings façades, both sides
 * @param objects trees, poles, cars, persons and anomalies, any order (drawn far to near)
 */
record StreetPlan(int width, int height, double horizon, double vpX, double focal, double camX, double camH,
        double roadHalf, double sidewalk, double[] terrain, double light, double[] tint, long textureSeed,
        int[] colors, List<Building> buildings, List<Thing> objects) {

    /** What kind of anomaly objects a scene gets. */
    enum Anomalies {
        /** Training scene: only the Cityscapes classes. */
        NONE,
        /** Obstacles lying on the road (RoadObstacle21, Fishyscapes Lost and Found). */
        ON_ROAD,
        /** Unknown objects anywhere on the ground, near and far (Fishyscapes Static). */
        ANYWHERE,
        /** Large unknown objects close to the camera, on the road or beside it (RoadAnomaly, RoadAnomaly21). */
        LARGE
    }

    /** Kinds of objects standing in the scene. */
    enum Kind { TREE, POLE_SIGN, POLE_LIGHT, POLE, CAR, PERSON, ANIMAL, BOX, TYRE, DEBRIS }

    /**
     * A building façade along one side of the street.
     *
     * @param side -1 left, +1 right
     * @param z0 near end
     * @param z1 far end
     * @param top height in metres
     * @param rgb wall colour
     * @param windowRgb glass colour
     */
    record Building(int side, double z0, double z1, double top, int rgb, int windowRgb) {
    }

    /**
     * An object standing on the ground at (x, z).
     *
     * @param kind what it is
     * @param x lateral position of its centre
     * @param z distance of its near face
     * @param size main size in metres (height of trees, poles and persons; width of cars and anomalies)
     * @param rgb main colour
     * @param rgb2 second colour (trousers, sign face, spots)
     * @param variant a small integer picking a sub-shape (sign shape, lit lamp, anomaly outline)
     */
    record Thing(Kind kind, double x, double z, double size, int rgb, int rgb2, int variant) {
    }

    private static final int[] WALLS = {0xc8b89a, 0xa0a0a8, 0x9c5a45, 0xd8d0c0, 0x8a8f7a, 0xb89070, 0x707a8a};
    private static final int[] CARS = {0x1a1a22, 0xc8c8cc, 0x8a1010, 0x203a70, 0x707478, 0xe0e0e0, 0x2a4a2a};
    private static final int[] SHIRTS = {0x303060, 0xa03030, 0xd0c8b0, 0x206040, 0x404040, 0xc08030};

    /** Draws a scene plan from {@code rng}. */
    static StreetPlan sample(SplittableRandom rng, int width, int height, Anomalies anomalies) {
        double horizon = height * (0.43 + 0.04 * rng.nextDouble());
        double vpX = width * (0.47 + 0.06 * rng.nextDouble());
        double focal = width * (1.0 + 0.15 * rng.nextDouble());
        double roadHalf = 3.2 + 1.6 * rng.nextDouble();
        double camX = roadHalf * (0.3 + 0.25 * rng.nextDouble());
        double sidewalk = 2.5 + 2.0 * rng.nextDouble();
        double camH = 1.3 + 0.3 * rng.nextDouble();
        double[] terrain = {rng.nextInt(3) == 0 ? 1.5 + 3 * rng.nextDouble() : 0,
            rng.nextInt(3) == 0 ? 1.5 + 3 * rng.nextDouble() : 0};
        double light = 0.85 + 0.3 * rng.nextDouble();
        double[] tint = {0.94 + 0.12 * rng.nextDouble(), 0.97 + 0.06 * rng.nextDouble(), 0.94 + 0.12 * rng.nextDouble()};
        int[] colors = {
            Material.jitter(rng, 0x5a5a60, 14), Material.jitter(rng, 0x9a8c90, 16), Material.jitter(rng, 0x9aa060, 14),
            Material.jitter(rng, 0x3a5a28, 10), Material.jitter(rng, 0x5a8ccc, 16), Material.jitter(rng, 0xc0d4e4, 10),
            Material.jitter(rng, 0x8a8c94, 12)};
        List<Building> buildings = new ArrayList<>();
        for (int side = -1; side <= 1; side += 2) {
            double z = 2 + 4 * rng.nextDouble();
            while (z < 140) {
                double len = 8 + 18 * rng.nextDouble();
                buildings.add(new Building(side, z, z + len, 7 + 18 * rng.nextDouble(),
                        Material.jitter(rng, WALLS[rng.nextInt(WALLS.length)], 14),
                        Material.jitter(rng, 0x28323c, 10)));
                z += len + (rng.nextInt(4) == 0 ? 3 + 6 * rng.nextDouble() : 0);
            }
        }
        List<Thing> things = new ArrayList<>();
        for (int side = -1; side <= 1; side += 2) {
            double curb = roadHalf + 0.6;
            int trees = 1 + rng.nextInt(3);
            for (int i = 0; i < trees; i++) {
                things.add(new Thing(Kind.TREE, side * (curb + 0.4 + rng.nextDouble() * (sidewalk - 1.2)),
                        8 + 45 * rng.nextDouble(), 5 + 5 * rng.nextDouble(), Material.jitter(rng, 0x3c6428, 14),
                        Material.jitter(rng, 0x4a3526, 10), rng.nextInt(1000)));
            }
            int poles = 1 + rng.nextInt(3);
            for (int i = 0; i < poles; i++) {
                Kind k = switch (rng.nextInt(3)) {
                    case 0 -> Kind.POLE_SIGN;
                    case 1 -> Kind.POLE_LIGHT;
                    default -> Kind.POLE;
                };
                things.add(new Thing(k, side * curb, 7 + 50 * rng.nextDouble(), 3.5 + 3 * rng.nextDouble(),
                        Material.jitter(rng, 0x6a6a6a, 12), 0, rng.nextInt(3)));
            }
        }
        // cars: at least one, in the lanes and parked at the curbs; not on top of the obstacles' road stretch
        int cars = anomalies == Anomalies.ON_ROAD ? 1 + rng.nextInt(2) : 2 + rng.nextInt(4);
        for (int i = 0; i < cars; i++) {
            double x = switch (rng.nextInt(3)) {
                case 0 -> -roadHalf / 2;
                case 1 -> roadHalf / 2;
                default -> (rng.nextBoolean() ? 1 : -1) * (roadHalf - 1.0);
            };
            double z = (anomalies == Anomalies.ON_ROAD ? 40 : 9) + 45 * rng.nextDouble();
            things.add(new Thing(Kind.CAR, x, z, 1.7 + 0.3 * rng.nextDouble(),
                    Material.jitter(rng, CARS[rng.nextInt(CARS.length)], 12), 0, rng.nextInt(2)));
        }
        int persons = 1 + rng.nextInt(4);
        for (int i = 0; i < persons; i++) {
            int side = rng.nextBoolean() ? 1 : -1;
            things.add(new Thing(Kind.PERSON, side * (roadHalf + 0.8 + rng.nextDouble() * (sidewalk - 1.2)),
                    7 + 35 * rng.nextDouble(), 1.6 + 0.3 * rng.nextDouble(),
                    Material.jitter(rng, SHIRTS[rng.nextInt(SHIRTS.length)], 16),
                    Material.jitter(rng, 0x2a2a40, 12), 0));
        }
        if (anomalies != Anomalies.NONE) {
            int n = 1 + rng.nextInt(3);
            double far = 0;
            List<Thing> odd = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Thing a = anomaly(rng, anomalies, roadHalf, sidewalk, i);
                // redraw until the object is well inside the picture and above the ego vehicle's hood
                for (int tries = 0; tries < 50 && !visible(a, width, height, horizon, vpX, focal, camX, camH);
                        tries++) {
                    a = anomaly(rng, anomalies, roadHalf, sidewalk, i);
                }
                odd.add(a);
                far = Math.max(far, a.z() + a.size());
            }
            // nothing stands in front of the anomalies, so every benchmark frame has anomaly pixels to score
            double limit = far + 1;
            things.removeIf(t -> t.z() < limit);
            things.addAll(odd);
        }
        things.sort(Comparator.comparingDouble(Thing::z).reversed());
        return new StreetPlan(width, height, horizon, vpX, focal, camX, camH, roadHalf, sidewalk, terrain, light,
                tint, rng.nextLong(), colors, List.copyOf(buildings), List.copyOf(things));
    }

    private static boolean visible(Thing t, int width, int height, double horizon, double vpX, double focal,
            double camX, double camH) {
        double x = vpX + focal * (t.x() - camX) / t.z();
        double y = horizon + focal * camH / t.z();
        return x > 0.08 * width && x < 0.92 * width && y < 0.88 * height;
    }

    private static Thing anomaly(SplittableRandom rng, Anomalies mode, double roadHalf, double sidewalk, int i) {
        Kind kind = switch (rng.nextInt(4)) {
            case 0 -> Kind.ANIMAL;
            case 1 -> Kind.BOX;
            case 2 -> Kind.TYRE;
            default -> Kind.DEBRIS;
        };
        boolean large = mode == Anomalies.LARGE;
        double z = large ? 5 + 10 * rng.nextDouble() + 3 * i
                : 7 + (mode == Anomalies.ON_ROAD ? 20 : 25) * rng.nextDouble() + 4 * i;
        double x = mode == Anomalies.ON_ROAD || rng.nextBoolean()
                ? (rng.nextDouble() * 2 - 1) * (roadHalf - 0.8)
                : (rng.nextBoolean() ? 1 : -1) * (roadHalf + 0.6 + rng.nextDouble() * sidewalk * 0.7);
        double size = switch (kind) {
            case ANIMAL -> mode == Anomalies.ON_ROAD ? 0.5 + 0.5 * rng.nextDouble() : 0.9 + 1.3 * rng.nextDouble();
            case BOX -> 0.35 + 0.5 * rng.nextDouble();
            case TYRE -> 0.55 + 0.25 * rng.nextDouble();
            default -> 0.4 + 0.8 * rng.nextDouble();
        } * (large ? 1.3 : 1.0);
        int rgb = OddObjects.colour(rng, switch (kind) {
            case ANIMAL -> OddObjects.Kind.ANIMAL;
            case BOX -> OddObjects.Kind.BOX;
            case TYRE -> OddObjects.Kind.TYRE;
            default -> OddObjects.Kind.DEBRIS;
        });
        return new Thing(kind, x, z, size, Material.jitter(rng, rgb, 10), Material.jitter(rng, 0xe8e0d0, 10),
                rng.nextInt(1000));
    }
}
