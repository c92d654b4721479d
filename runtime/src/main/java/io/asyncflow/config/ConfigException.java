package io.asyncflow.config;

/** Invalid configuration; the message names the key and what was wrong. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public static ConfigException forKey(String key, String problem) {
        return new ConfigException("config key '" + key + "': " + problem);
    }
}
