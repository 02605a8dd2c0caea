/**
 * The command-line comparison of two models' answers on a folder of images (agreement, score
 * drift). May import image, model and model.build; never core, a door or http.
 */
package dev.classifier.model.compare;
